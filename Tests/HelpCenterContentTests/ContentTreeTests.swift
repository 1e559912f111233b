import Foundation
import HelpCenterContent
import HelpCenterMarkdown
import HelpCenterTestSupport
import Testing

@Suite struct ContentTreeTests {
    func load(_ files: [String: String]) throws -> ContentTree {
        let folder = try TemporaryContent(files)
        defer { folder.remove() }
        return try ContentTree.load(from: folder.content.path)
    }

    func article(_ tree: ContentTree, _ path: String) -> Article {
        tree.articles.first { $0.sourcePath == path }!
    }

    @Test func categoriesOrderByOrderThenTitleAndFallBackToTheFolderName() throws {
        let tree = try load([
            "zeta/_category.yml": "title: Zeta first\norder: 1\n",
            "alpha/_category.yml": "title: Alpha\norder: 2\n",
            "Beta & Co/a.md": TemporaryContent.article("title: A"),
            "alpha/a.md": TemporaryContent.article("title: A"),
            "zeta/a.md": TemporaryContent.article("title: A"),
            "alpha/section/_category.yml": "title: Section\nsummary: In alpha\n",
            "alpha/section/b.md": TemporaryContent.article("title: B"),
        ])
        #expect(tree.topCategories.map { tree.categories[$0].title } == ["Zeta first", "Alpha", "Beta & Co"])
        let section = tree.categories.first { $0.title == "Section" }!
        #expect(section.url == "/alpha/section/")
        #expect(section.depth == 1)
        #expect(tree.categories[section.parent!].title == "Alpha")
        #expect(tree.categories.first { $0.title == "Beta & Co" }?.url == "/beta-co/")
        #expect(tree.diagnostics.isEmpty)
    }

    @Test func articlesOrderByOrderThenTitle() throws {
        let tree = try load([
            "c/x.md": TemporaryContent.article("title: Zulu\norder: 1"),
            "c/y.md": TemporaryContent.article("title: Bravo"),
            "c/z.md": TemporaryContent.article("title: Alpha"),
        ])
        #expect(tree.categories[0].articles.map { tree.articles[$0].title } == ["Zulu", "Alpha", "Bravo"])
    }

    @Test func fileAndFolderNamesWithSpacesAmpersandsAndAccents() throws {
        let tree = try load([
            "Zahlung & Rückgabe/Häufige Fragen.md": TemporaryContent.article("title: Fragen"),
            "c/a.md": TemporaryContent.article("title: A", "[x](../Zahlung%20%26%20R%C3%BCckgabe/H%C3%A4ufige%20Fragen.md) [y](<../Zahlung & Rückgabe/Häufige Fragen.md>)\n"),
        ])
        #expect(tree.diagnostics.isEmpty)
        let target = article(tree, "Zahlung & Rückgabe/Häufige Fragen.md")
        #expect(target.url == "/zahlung-rückgabe/häufige-fragen/")
        let links = article(tree, "c/a.md").resolvedLinks
        #expect(links.values.compactMap { $0 } == [target.url, target.url])
    }

    @Test func titleFallsBackToTheFirstH1ThenTheFileNameWithAWarning() throws {
        let tree = try load([
            "c/h1.md": "# From the heading\n\nBody\n",
            "c/no-title.md": "Just text\n",
        ])
        #expect(article(tree, "c/h1.md").title == "From the heading")
        #expect(article(tree, "c/h1.md").document.headings.isEmpty)
        #expect(article(tree, "c/no-title.md").title == "no-title")
        #expect(tree.diagnostics.map(\.severity) == [.warning])
        #expect(tree.diagnostics[0].message.hasPrefix("missing title"))
    }

    @Test func relativeLinksBecomeBuiltURLs() throws {
        let tree = try load([
            "c/_category.yml": "title: C\n",
            "c/a.md": TemporaryContent.article("title: A", """
                ## Here

                [same](b.md) [anchor](b.md#target-heading) [up](../d/e.md) [root](/d/e.md) [folder](../d/)
                [index](../d/index.md) [self](#here) [ext](https://example.com/x) [mail](mailto:a@b.c) [img](img/x.png)
                """),
            "c/b.md": TemporaryContent.article("title: B", "## Target heading\n"),
            "c/img/x.png": "png",
            "d/e.md": TemporaryContent.article("title: E"),
        ])
        #expect(tree.diagnostics.isEmpty)
        let links = article(tree, "c/a.md").resolvedLinks
        #expect(links["b.md"] == "/c/b/")
        #expect(links["b.md#target-heading"] == "/c/b/#target-heading")
        #expect(links["../d/e.md"] == "/d/e/")
        #expect(links["/d/e.md"] == "/d/e/")
        #expect(links["../d/"] == "/d/")
        #expect(links["../d/index.md"] == "/d/")
        #expect(links["#here"] == "#here")
        #expect(links["https://example.com/x"] == "https://example.com/x")
        #expect(links["img/x.png"] == "/c/img/x.png")
        #expect(tree.assets == ["c/img/x.png": "c/img/x.png"])
    }

    @Test func brokenLinkIsAnErrorWithFileLineAndColumn() throws {
        let tree = try load(["c/a.md": TemporaryContent.article("title: A", "Intro.\n\nSee [the guide](missing.md) now.\n")])
        #expect(tree.diagnostics.count == 1)
        let text = tree.diagnostics[0].description
        #expect(text.hasSuffix("c/a.md:6:5: error: broken link 'missing.md': no article, category or file \(tree.displayRoot)/c/missing.md; fix the path (relative to this file) or create the article"))
    }

    @Test func linkOutsideTheContentFolderIsAnError() throws {
        let tree = try load(["c/a.md": TemporaryContent.article("title: A", "[x](../../../etc/passwd.md)\n")])
        #expect(tree.diagnostics.map(\.severity) == [.error])
        #expect(tree.diagnostics[0].message.contains("outside the content folder"))
    }

    @Test func brokenAnchorIsAWarningAndTheLinkStillOpensThePage() throws {
        let tree = try load([
            "c/a.md": TemporaryContent.article("title: A", "[x](b.md#nope) [y](#nothing)\n"),
            "c/b.md": TemporaryContent.article("title: B", "## Real\n"),
        ])
        #expect(tree.diagnostics.map(\.severity) == [.warning, .warning])
        #expect(tree.diagnostics[0].message.contains("#real"))
        #expect(article(tree, "c/a.md").resolvedLinks["b.md#nope"] == "/c/b/")
    }

    @Test func brokenRootRelativeLinkSaysItIsRelativeToTheContentFolder() throws {
        let tree = try load(["c/a.md": TemporaryContent.article("title: A", "[x](/nope/gone.md)\n")])
        #expect(tree.diagnostics.first?.message.contains("relative to the content folder") == true)
    }

    @Test func brokenFrontMatterIsReportedOnceWithoutAMissingTitleWarning() throws {
        let tree = try load(["c/a.md": "---\ntitle: Note: x\n---\nBody\n"])
        #expect(tree.diagnostics.map(\.severity) == [.error])
    }

    @Test func missingImageIsAWarning() throws {
        let tree = try load(["c/a.md": TemporaryContent.article("title: A", "![logo](logo.png)\n")])
        #expect(tree.diagnostics.map(\.severity) == [.warning])
        #expect(tree.diagnostics[0].message.hasPrefix("missing image 'logo.png'"))
    }

    @Test func draftLinkedFromAPublishedPageIsAWarningAndRendersAsText() throws {
        let tree = try load([
            "c/a.md": TemporaryContent.article("title: A\nrelated: [b.md]", "[soon](b.md)\n"),
            "c/b.md": TemporaryContent.article("title: B\ndraft: true"),
        ])
        #expect(tree.diagnostics.map(\.severity) == [.warning, .warning])
        let a = article(tree, "c/a.md")
        #expect(a.resolvedLinks["b.md"] == .some(nil))
        #expect(a.related.isEmpty)
        #expect(tree.publishedArticles.count == 1)
    }

    @Test func duplicateIDIsAnError() throws {
        let tree = try load([
            "c/a.md": TemporaryContent.article("title: A\nid: 7"),
            "c/b.md": TemporaryContent.article("title: B\nid: 7"),
        ])
        #expect(tree.diagnostics.map(\.severity) == [.error])
        #expect(tree.diagnostics[0].message.hasPrefix("duplicate id '7'"))
        #expect(tree.diagnostics[0].location.line == 3)
    }

    @Test func duplicateURLIsAnError() throws {
        let tree = try load([
            "c/Foo Bar.md": TemporaryContent.article("title: A"),
            "c/foo-bar.md": TemporaryContent.article("title: B"),
        ])
        #expect(tree.diagnostics.map(\.severity) == [.error])
        #expect(tree.diagnostics[0].message.hasPrefix("duplicate URL"))
    }

    @Test func unknownRelatedTargetIsAnErrorAtItsLine() throws {
        let tree = try load(["c/a.md": TemporaryContent.article("title: A\nrelated:\n  - nope.md")])
        #expect(tree.diagnostics.map(\.severity) == [.error])
        #expect(tree.diagnostics[0].location == SourceLocation(line: 4, column: 5))
    }

    @Test func relatedListsExplicitEntriesFirstThenSimilarArticlesNeverDrafts() throws {
        var files: [String: String] = [
            "c/a.md": TemporaryContent.article("title: Refund timeline\nid: 1\ntags: [refund]\nrelated: [3, /d/z.md]"),
            "c/b.md": TemporaryContent.article("title: Refund methods\ntags: [refund]"),
            "d/y.md": TemporaryContent.article("title: Other refund\ntags: [refund]"),
            "d/z.md": TemporaryContent.article("title: Zed"),
            "e/x.md": TemporaryContent.article("title: Three\nid: 3"),
            "e/draft.md": TemporaryContent.article("title: Refund draft\ntags: [refund]\ndraft: true"),
        ]
        for n in 0..<6 { files["f/\(n).md"] = TemporaryContent.article("title: Unrelated \(n)") }
        let tree = try load(files)
        #expect(tree.diagnostics.isEmpty)
        let related = article(tree, "c/a.md").related.map { tree.articles[$0].title }
        #expect(related == ["Three", "Zed", "Refund methods", "Other refund"])
    }

    @Test func permalinksAndAliasesBecomeRedirects() throws {
        let tree = try load([
            "site.yml": "base_url: https://help.example.com/hc\n",
            "c/a.md": TemporaryContent.article("title: A\nid: 42\naliases: [/hc/old/page/, https://help.example.com/hc/legacy.html]"),
        ])
        #expect(tree.diagnostics.isEmpty)
        #expect(tree.redirects == ["a/42/index.html": "/hc/c/a/", "old/page/index.html": "/hc/c/a/", "legacy.html": "/hc/c/a/"])
    }

    @Test func rawHTMLDroppedUnderDropIsAWarning() throws {
        let tree = try load([
            "site.yml": "raw_html: drop\n",
            "c/a.md": TemporaryContent.article("title: A", "Text <kbd>x</kbd>\n"),
        ])
        #expect(tree.diagnostics.count == 2)
        #expect(tree.diagnostics.allSatisfy { $0.severity == .warning && $0.message.contains("dropped") })
    }

    @Test func unsupportedFootnoteIsAWarning() throws {
        let tree = try load(["c/a.md": TemporaryContent.article("title: A", "A note[^1].\n\n[^1]: The note.\n")])
        #expect(tree.diagnostics.count == 2)
        #expect(tree.diagnostics.allSatisfy { $0.message.hasPrefix("footnotes are not supported") })
    }

    @Test func invalidCategoryAndSiteYAMLAreErrors() throws {
        let tree = try load([
            "site.yml": "title: [unclosed\n",
            "c/_category.yml": "title: x\n  bad: indent\n",
            "c/a.md": TemporaryContent.article("title: A"),
        ])
        #expect(tree.diagnostics.map(\.severity) == [.error, .error])
        #expect(tree.diagnostics.map { $0.path.split(separator: "/").last! } == ["_category.yml", "site.yml"])
    }

    @Test func theSampleContentHasNoDiagnostics() throws {
        let content = TemporaryContent.repositoryRoot().appendingPathComponent("Content").path
        let tree = try ContentTree.load(from: content)
        #expect(tree.diagnostics.map(\.description) == [])
        #expect(tree.publishedArticles.count >= 45)
        #expect(tree.topCategories.count == 10)
    }
}

@Suite struct SiteConfigTests {
    @Test func unsafeSupportLinksAreErrorsAndNeverReachTheConfig() {
        let (config, diagnostics) = SiteConfig.parse("support:\n  url: javascript:alert(1)\n  email: \"x@y.z\\\" onmouseover=alert(1)\"\n", path: "site.yml")
        #expect(diagnostics.map(\.location.line) == [2, 3])
        #expect(config.support?.url == nil)
        #expect(config.support?.email == nil)
    }

    @Test func baseURLWithSpacesOrNewlinesIsAnError() {
        let (config, diagnostics) = SiteConfig.parse("base_url: \"https://h.example\\nDisallow: /\"\n", path: "site.yml")
        #expect(diagnostics.map(\.severity) == [.error])
        #expect(config.baseURL == "http://localhost:8080")
    }

    @Test func aliasUnderALongerPathIsNotCutAtTheBasePath() throws {
        let folder = try TemporaryContent([
            "site.yml": "base_url: https://h.example/help\n",
            "c/a.md": TemporaryContent.article("title: A\naliases: ['https://h.example/helpdesk/old-page/']"),
        ])
        defer { folder.remove() }
        let tree = try ContentTree.load(from: folder.content.path)
        #expect(!tree.redirects.keys.contains("desk/old-page/index.html"))
    }

    @Test func baseURLPathBecomesThePrefix() {
        let (config, diagnostics) = SiteConfig.parse("base_url: https://example.com/help/\n", path: "site.yml")
        #expect(diagnostics.isEmpty)
        #expect(config.pathPrefix == "/help")
        #expect(config.origin == "https://example.com")
    }

    @Test func encodedDotsInAliasesAreRefused() throws {
        let folder = try TemporaryContent(["c/a.md": TemporaryContent.article("title: A\naliases: ['/%2e%2e/%2E%2E/escape/', '/ok/']")])
        defer { folder.remove() }
        let tree = try ContentTree.load(from: folder.content.path)
        #expect(tree.diagnostics.map(\.severity) == [.error])
        #expect(tree.redirects.keys.sorted() == ["ok/index.html"])
    }

    /// Issue 24, finding 15: a symbolic link named `_category.yml` is skipped, as the warning says.
    @Test func aSymlinkedCategoryFileIsNotRead() throws {
        let folder = try TemporaryContent(["c/a.md": TemporaryContent.article("title: A")])
        defer { folder.remove() }
        let outside = folder.base.appendingPathComponent("outside.yml")
        try "title: Read from outside\n".write(to: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: folder.content.appendingPathComponent("c/_category.yml"), withDestinationURL: outside)
        let tree = try ContentTree.load(from: folder.content.path)
        #expect(tree.categories.map(\.title) == ["c"])
        #expect(tree.diagnostics.contains { $0.message.contains("symbolic link skipped") })
    }

    /// The review: a symlinked `site.yml` is skipped too (it could switch on `raw_html: trusted`).
    @Test func aSymlinkedSiteFileIsNotRead() throws {
        let folder = try TemporaryContent(["c/a.md": TemporaryContent.article("title: A")])
        defer { folder.remove() }
        let outside = folder.base.appendingPathComponent("evil.yml")
        try "title: From outside\nraw_html: trusted\n".write(to: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: folder.content.appendingPathComponent("site.yml"), withDestinationURL: outside)
        let tree = try ContentTree.load(from: folder.content.path)
        #expect(tree.config.title != "From outside" && tree.config.rawHTML != .trusted)
        #expect(ContentTree.loadConfig(from: folder.content.path).title != "From outside")
    }

    /// The review: a diagnostic is one line that cannot drive the terminal, whatever the file name or value.
    @Test func diagnosticsShowControlCharactersAsEscapes() {
        let diagnostic = Diagnostic(.error, "e\u{1B}]0;OWNED\u{7}.md", SourceLocation(line: 1, column: 1), "updated '\u{1B}[2J\r\n\u{202E}x' is not a valid date")
        let text = diagnostic.description
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{202E}" }, "\(text)")
        #expect(text.contains("\\u{1B}"))
    }
}
