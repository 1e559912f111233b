import Foundation
import HelpCenterContent
import HelpCenterSite
import HelpCenterTestSupport
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct SiteBuilderTests {
    static let files: [String: String] = [
        "site.yml": "title: Test Help\nbase_url: https://help.example.com\nsupport:\n  email: help@example.com\n  phone: +1 555 0100\n",
        "orders/_category.yml": "title: Orders & Returns\norder: 1\nsummary: All about orders.\n",
        "orders/track.md": TemporaryContent.article(
            "title: \"Track <script>alert(1)</script> & ship\"\nid: 7\nsummary: Where is my order?\nupdated: 2026-10-14\naliases: [/old/track/]\nrelated: [refund.md]",
            "## Step one\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> [!TIP]\n> Tip text\n\n![map](map.png)\n"),
        "orders/refund.md": TemporaryContent.article("title: Refund\nupdated: 2026-09-01", "Back to [tracking](track.md#step-one).\n"),
        "orders/map.png": "PNG",
        "orders/draft.md": TemporaryContent.article("title: Secret draft\ndraft: true"),
        "café/_category.yml": "title: Café\n",
        "café/menu.md": TemporaryContent.article("title: Menu"),
    ]

    func build(_ folder: TemporaryContent) throws -> SiteBuilder.Summary {
        let tree = try ContentTree.load(from: folder.content.path)
        return try SiteBuilder(tree: tree, theme: try Theme.load(for: tree)).build(into: folder.site)
    }

    @Test func buildWritesEveryPageKind() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        let summary = try build(folder)
        #expect(summary.articles == 3)
        for path in ["index.html", "404.html", "orders/index.html", "orders/track/index.html", "orders/refund/index.html",
                     "café/index.html", "café/menu/index.html", "a/7/index.html", "old/track/index.html",
                     "sitemap.xml", "robots.txt", "assets/style.css", "orders/map.png"] {
            #expect(folder.output(path) != nil, "missing \(path)")
        }
        #expect(folder.output("orders/draft/index.html") == nil)
        #expect(folder.output("a/7/index.html")?.contains("<meta http-equiv=\"refresh\" content=\"0; url=/orders/track/\">") == true)
    }

    @Test func homeListsCategoriesWithSummariesAndTopArticles() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        _ = try build(folder)
        let home = try #require(folder.output("index.html"))
        #expect(home.contains("<h2><a href=\"/orders/\">Orders &amp; Returns</a></h2>\n<p>All about orders.</p>"))
        #expect(home.contains("<li><a href=\"/orders/refund/\">Refund</a></li>"))
        #expect(home.contains("<li><a href=\"/café/menu/\">Menu</a></li>"))
        #expect(try #require(home.range(of: "Orders &amp; Returns")).lowerBound < (try #require(home.range(of: ">Café<")).lowerBound))
    }

    @Test func articlePageHasBreadcrumbSidebarRelatedAndMetadata() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        _ = try build(folder)
        let page = try #require(folder.output("orders/refund/index.html"))
        #expect(page.contains("<li><a href=\"/orders/\">Orders &amp; Returns</a></li>"))
        #expect(page.contains("<a href=\"/orders/\" aria-current=\"true\" class=\"current\">Orders &amp; Returns</a>"))
        #expect(page.contains("<a href=\"/orders/track/#step-one\">tracking</a>"))
        #expect(page.contains("<link rel=\"canonical\" href=\"https://help.example.com/orders/refund/\">"))
        #expect(page.contains("<meta property=\"og:type\" content=\"article\">"))
        #expect(page.contains("<time datetime=\"2026-09-01\">1 September 2026</time>"))
        #expect(page.contains("You may also be interested in"))
        #expect(page.contains("<a href=\"tel:+15550100\">+1 555 0100</a>"))
        #expect(!page.contains("Secret draft"))
    }

    @Test func titleWithScriptAndAmpersandIsEscapedExactlyOnce() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        _ = try build(folder)
        let page = try #require(folder.output("orders/track/index.html"))
        #expect(page.contains("<h1>Track &lt;script&gt;alert(1)&lt;/script&gt; &amp; ship</h1>"))
        #expect(page.contains("<title>Track &lt;script&gt;alert(1)&lt;/script&gt; &amp; ship | Test Help</title>"))
        #expect(!page.contains("<script>alert(1)"))
        #expect(!page.contains("&amp;lt;"))
        let related = try #require(folder.output("orders/refund/index.html"))
        #expect(related.contains(">Track &lt;script&gt;alert(1)&lt;/script&gt; &amp; ship</a>"))
    }

    @Test func jsonLDIsValidJSONWithBreadcrumbsAndArticle() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        _ = try build(folder)
        let page = try #require(folder.output("orders/track/index.html"))
        let start = try #require(page.range(of: "<script type=\"application/ld+json\">"))
        let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
        let json = try JSONSerialization.jsonObject(with: Data(page[start.upperBound..<end.lowerBound].utf8)) as? [String: Any]
        let graph = try #require(json?["@graph"] as? [[String: Any]])
        #expect(graph.map { $0["@type"] as? String } == ["Article", "BreadcrumbList"])
        #expect(graph[0]["headline"] as? String == "Track <script>alert(1)</script> & ship")
        #expect((graph[1]["itemListElement"] as? [Any])?.count == 3)
    }

    @Test func sitemapIsValidXMLWithLastmodAndEachURLEncodedOnce() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        _ = try build(folder)
        let xml = try #require(folder.output("sitemap.xml"))
        let parser = XMLParser(data: Data(xml.utf8))
        let collector = LocCollector()
        parser.delegate = collector
        #expect(parser.parse())
        #expect(collector.locs.contains("https://help.example.com/caf%C3%A9/menu/"))
        #expect(collector.locs.contains("https://help.example.com/orders/track/"))
        #expect(!collector.locs.contains { $0.contains("draft") })
        #expect(xml.contains("<url><loc>https://help.example.com/orders/track/</loc><lastmod>2026-10-14</lastmod></url>"))
        #expect(folder.output("robots.txt") == "User-agent: *\nAllow: /\nSitemap: https://help.example.com/sitemap.xml\n")
    }

    @Test func aDateTimeInUpdatedKeepsItsTimeInTheSitemapAndItsDateOnThePage() throws {
        let folder = try TemporaryContent(["c/a.md": TemporaryContent.article("title: A\nupdated: 2026-10-14 09:30:00+02:00")])
        defer { folder.remove() }
        _ = try build(folder)
        #expect(folder.output("sitemap.xml")?.contains("<lastmod>2026-10-14T09:30:00+02:00</lastmod>") == true)
        let page = try #require(folder.output("c/a/index.html"))
        #expect(page.contains("<time datetime=\"2026-10-14T09:30:00+02:00\">14 October 2026</time>"))
    }

    @Test func sameInputGivesByteIdenticalOutput() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        _ = try build(folder)
        let first = try snapshot(folder.site)
        _ = try build(folder)
        #expect(try snapshot(folder.site) == first)
        #expect(first.count > 10)
    }

    @Test func failedBuildLeavesThePreviousSiteUntouched() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        _ = try build(folder)
        let before = try snapshot(folder.site)
        try folder.write("orders/refund.md", TemporaryContent.article("title: Refund", "[broken](nowhere.md)\n"))
        #expect(throws: SiteBuilder.BuildError.self) { try build(folder) }
        #expect(try snapshot(folder.site) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.base.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    /// The test content with a theme folder whose `404.mustache` is `template`.
    func contentWith404Template(_ template: String) throws -> TemporaryContent {
        var files = Self.files
        files["site.yml"]! += "theme: theme\n"
        files["theme/404.mustache"] = template
        return try TemporaryContent(files)
    }

    @Test func themeFolderOverridesATemplate() throws {
        let folder = try contentWith404Template("<p>Custom {{page.siteTitle}} not found</p>")
        defer { folder.remove() }
        _ = try build(folder)
        #expect(folder.output("404.html") == "<p>Custom Test Help not found</p>")
        #expect(folder.output("theme/404/index.html") == nil)
    }

    @Test func aBrokenThemeTemplateIsReportedAtItsLineAndColumn() throws {
        let folder = try contentWith404Template("<p>Not found</p>\n<ul>\n  {{#page}}<li>{{siteTitle}}</li>{{/pages}}\n</ul>\n")
        defer { folder.remove() }
        let tree = try ContentTree.load(from: folder.content.path)
        do {
            _ = try Theme.load(for: tree)
            Issue.record("a template with a mismatched closing tag loaded")
        } catch let error as Theme.LoadError {
            let message = error.description
            #expect(message.hasPrefix(folder.content.appendingPathComponent("theme/404.mustache").path + ":3:"), "\(message)")
            #expect(message.contains("error: this closing tag does not match the section it closes"), "\(message)")
        }
    }

    @Test func theSampleContentBuildsWithZeroWarnings() throws {
        let content = TemporaryContent.repositoryRoot().appendingPathComponent("Content").path
        let tree = try ContentTree.load(from: content)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("helpcenter-sample-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let summary = try SiteBuilder(tree: tree, theme: try Theme.load(for: tree)).build(into: output)
        #expect(summary.warnings == 0)
        #expect(summary.articles >= 45)
        let forgot = try String(contentsOf: output.appendingPathComponent("account-management/password/forgot-password/index.html"), encoding: .utf8)
        #expect(forgot.contains("Why can&#39;t I receive the email verification code?"))
    }

    /// Every file under `folder`: relative path → bytes.
    func snapshot(_ folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            result[String(url.path.dropFirst(folder.path.count))] = try Data(contentsOf: url)
        }
        return result
    }
}

final class LocCollector: NSObject, XMLParserDelegate {
    var locs: [String] = []
    private var inLoc = false
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        inLoc = name == "loc"
        if inLoc { locs.append("") }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inLoc { locs[locs.count - 1] += string }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        inLoc = false
    }
}
