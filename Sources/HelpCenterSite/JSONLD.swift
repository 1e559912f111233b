import Foundation
import HelpCenterContent

/// schema.org structured data (JSON-LD) for pages: `WebSite`, `BreadcrumbList` and `Article`.
/// Keys are sorted, so output is byte-identical across builds; `/` is escaped as `\/`, so a value can
/// never close the `<script>` element it stands in.
enum JSONLD {
    static func website(_ config: SiteConfig) -> String {
        script(["@context": "https://schema.org", "@type": "WebSite", "name": config.title, "url": config.baseURL + "/"])
    }

    static func breadcrumbs(_ trail: [LinkModel], config: SiteConfig) -> String {
        script(breadcrumbList(trail, config: config))
    }

    static func article(_ article: Article, breadcrumb: [LinkModel], config: SiteConfig) -> String {
        var object: [String: Any] = [
            "@context": "https://schema.org", "@type": "Article", "headline": article.title,
            "mainEntityOfPage": config.origin + article.url, "inLanguage": config.language,
            "publisher": ["@type": "Organization", "name": config.title],
        ]
        if let summary = article.frontMatter.summary { object["description"] = summary }
        if let updated = article.frontMatter.updated { object["dateModified"] = updated }
        var list = breadcrumbList(breadcrumb, config: config)
        list.removeValue(forKey: "@context")
        return script(["@context": "https://schema.org", "@graph": [object.filter { $0.key != "@context" }, list]])
    }

    private static func breadcrumbList(_ trail: [LinkModel], config: SiteConfig) -> [String: Any] {
        let items: [[String: Any]] = trail.enumerated().map { position, link in
            ["@type": "ListItem", "position": position + 1, "name": link.title, "item": config.origin + link.url]
        }
        return ["@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items]
    }

    private static func script(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
              let json = String(data: data, encoding: .utf8) else { return "" }
        let safe = json.replacing("<", with: "\\u003c").replacing(">", with: "\\u003e")
        return "<script type=\"application/ld+json\">\(safe)</script>"
    }
}
