import HelpCenterContent
import HelpCenterMarkdown

/// `sitemap.xml` per the Sitemaps 0.9 protocol (sitemaps.org): the home page, every category page
/// that lists articles, and every published article with its `updated` date as `lastmod`.
/// Each URL is percent-encoded once (RFC 3986) and then XML-escaped.
struct Sitemap {
    let tree: ContentTree

    func xml() -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        func add(_ path: String, lastmod: String?) {
            out += "<url><loc>\(HTMLEscaping.escape(SafeURL.encodeForAttribute(tree.config.origin + path).replacingAmpersandEntity()))</loc>"
            if let lastmod { out += "<lastmod>\(lastmod)</lastmod>" }
            out += "</url>\n"
        }
        add(tree.config.pathPrefix + "/", lastmod: nil)
        for index in tree.categories.indices where tree.hasPublishedArticles(inCategory: index) {
            add(tree.categories[index].url, lastmod: nil)
        }
        for index in tree.publishedArticles {
            add(tree.articles[index].url, lastmod: tree.articles[index].frontMatter.updated)
        }
        return out + "</urlset>\n"
    }
}

private extension String {
    /// `SafeURL.encodeForAttribute` writes `&` as `&amp;` and `'` as `&#x27;`; undo both so that
    /// XML escaping applies exactly once.
    func replacingAmpersandEntity() -> String {
        replacing("&amp;", with: "&").replacing("&#x27;", with: "'")
    }
}
