import HelpCenterContent

/// schema.org structured data (JSON-LD, RFC 8259 JSON) for pages: `WebSite`, `BreadcrumbList` and
/// `Article`. Written by hand in a fixed key order, so output is byte-identical across builds; `<`, `>`
/// and `&` are written as `\u003c`, `\u003e` and `\u0026`, so a value can never close the `<script>`
/// element it stands in.
enum JSONLD {
    static func website(_ config: SiteConfig) -> String {
        script("{\"@context\":\"https://schema.org\",\"@type\":\"WebSite\",\"name\":\(quote(config.title)),\"url\":\(quote(config.baseURL + "/"))}")
    }

    static func breadcrumbs(_ trail: [LinkModel], config: SiteConfig) -> String {
        script("{\"@context\":\"https://schema.org\"," + breadcrumbList(trail, config: config) + "}")
    }

    static func article(_ article: Article, breadcrumb: [LinkModel], config: SiteConfig) -> String {
        var fields = "\"@type\":\"Article\",\"headline\":\(quote(article.title))"
        if let summary = article.frontMatter.summary { fields += ",\"description\":\(quote(summary))" }
        if let updated = article.frontMatter.updated { fields += ",\"dateModified\":\(quote(updated))" }
        fields += ",\"inLanguage\":\(quote(config.language)),\"mainEntityOfPage\":\(quote(config.origin + article.url))"
        fields += ",\"publisher\":{\"@type\":\"Organization\",\"name\":\(quote(config.title))}"
        return script("{\"@context\":\"https://schema.org\",\"@graph\":[{\(fields)},{\(breadcrumbList(breadcrumb, config: config))}]}")
    }

    private static func breadcrumbList(_ trail: [LinkModel], config: SiteConfig) -> String {
        let items = trail.enumerated().map { position, link in
            "{\"@type\":\"ListItem\",\"position\":\(position + 1),\"name\":\(quote(link.title)),\"item\":\(quote(config.origin + link.url))}"
        }
        return "\"@type\":\"BreadcrumbList\",\"itemListElement\":[" + items.joined(separator: ",") + "]"
    }

    private static func script(_ json: String) -> String {
        "<script type=\"application/ld+json\">\(json)</script>"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 §7), and
    /// `<`, `>`, `&` as Unicode escapes for safe embedding in HTML.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
