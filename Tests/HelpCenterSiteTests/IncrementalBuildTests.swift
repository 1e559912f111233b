import Foundation
import HelpCenterContent
import HelpCenterSite
import HelpCenterTestSupport
import Testing

/// `serve --watch` rebuilds in place with a ``BuildCache``: after any edit the site must be exactly
/// what a whole new build of the same content gives, while writing only what changed.
@Suite struct IncrementalBuildTests {
    func build(_ folder: TemporaryContent, into output: URL, cache: BuildCache?) throws -> SiteBuilder.Summary {
        let tree = try ContentTree.load(from: folder.content.path, cache: cache?.content)
        return try SiteBuilder(tree: tree, theme: try Theme.load(for: tree)).build(into: output, cache: cache)
    }

    /// Rebuilds `folder.site` in place with `cache`, builds a whole new site beside it without one,
    /// and expects both to hold the same files with the same bytes.
    @discardableResult
    func expectUpdateMatchesFullBuild(_ folder: TemporaryContent, cache: BuildCache, _ comment: Comment) throws -> SiteBuilder.Summary {
        let summary = try build(folder, into: folder.site, cache: cache)
        let full = folder.base.appendingPathComponent("Full")
        defer { try? FileManager.default.removeItem(at: full) }
        _ = try build(folder, into: full, cache: nil)
        let updated = try SiteBuilderTests().snapshot(folder.site), expected = try SiteBuilderTests().snapshot(full)
        #expect(Set(updated.keys) == Set(expected.keys), comment)
        for (path, data) in expected where updated[path] != data {
            Issue.record("\(comment): \(path) differs from a full build")
        }
        return summary
    }

    @Test func updatesInPlaceGiveTheSameSiteAsAFullBuild() throws {
        let folder = try TemporaryContent(SiteBuilderTests.files)
        defer { folder.remove() }
        let cache = BuildCache()
        let first = try build(folder, into: folder.site, cache: cache)
        #expect(first.written > 20)

        let unchanged = try expectUpdateMatchesFullBuild(folder, cache: cache, "no edit")
        #expect(unchanged.written == 0, "a rebuild without edits writes nothing")

        // A new title shows on the article, its category page, the related list of track.md and in the index.
        try folder.write("orders/refund.md", TemporaryContent.article("title: Money back\nupdated: 2026-09-01", "Back to [tracking](track.md#step-one).\n"))
        let retitled = try expectUpdateMatchesFullBuild(folder, cache: cache, "title edit")
        #expect(retitled.written > 0 && retitled.written < first.written)
        #expect(folder.output("orders/track/index.html")?.contains("Money back") == true)

        try folder.write("orders/track.md", TemporaryContent.article("title: Track\nid: 7\nsummary: Where is my order?", "## Step one\n\nNew body words.\n"))
        try expectUpdateMatchesFullBuild(folder, cache: cache, "body edit")

        try folder.write("orders/new.md", TemporaryContent.article("title: A new article\nrelated: [track.md]"))
        try expectUpdateMatchesFullBuild(folder, cache: cache, "article added")

        try FileManager.default.removeItem(at: folder.content.appendingPathComponent("café"))
        try expectUpdateMatchesFullBuild(folder, cache: cache, "category removed")
        #expect(folder.output("cafe/menu/index.html") == nil)

        try folder.write("site.yml", "title: Renamed Help\nbase_url: https://help.example.com\n")
        try expectUpdateMatchesFullBuild(folder, cache: cache, "site settings changed")
    }

    @Test func aFailedUpdateWritesNothingAndTheNextOneRecovers() throws {
        let folder = try TemporaryContent(SiteBuilderTests.files)
        defer { folder.remove() }
        let cache = BuildCache()
        _ = try build(folder, into: folder.site, cache: cache)
        let before = try SiteBuilderTests().snapshot(folder.site)
        try folder.write("orders/refund.md", TemporaryContent.article("title: Refund", "[broken](nowhere.md)\n"))
        #expect(throws: SiteBuilder.BuildError.self) { try build(folder, into: folder.site, cache: cache) }
        #expect(try SiteBuilderTests().snapshot(folder.site) == before)
        try folder.write("orders/refund.md", TemporaryContent.article("title: Refund fixed"))
        try expectUpdateMatchesFullBuild(folder, cache: cache, "after a failed update")
    }

    @Test func aSiteChangedBehindTheCacheIsRebuiltWhole() throws {
        let folder = try TemporaryContent(SiteBuilderTests.files)
        defer { folder.remove() }
        let cache = BuildCache()
        let first = try build(folder, into: folder.site, cache: cache)
        try FileManager.default.removeItem(at: folder.site)
        let again = try build(folder, into: folder.site, cache: cache)
        #expect(again.written == first.written)
        #expect(folder.output("index.html") != nil)
    }
}

/// `files` written into a new content folder, loaded once with a new cache (remove the folder when done).
private func contentLoadedOnce(_ files: [String: String]) throws -> (TemporaryContent, ContentCache) {
    let folder = try TemporaryContent(files)
    let cache = ContentCache()
    do {
        _ = try ContentTree.load(from: folder.content.path, cache: cache)
    } catch {
        folder.remove()
        throw error
    }
    return (folder, cache)
}

@Suite struct ContentCacheTests {
    /// Sets a file's modification time `seconds` into the past.
    func age(_ url: URL, by seconds: TimeInterval, to date: Date? = nil) throws {
        try FileManager.default.setAttributes([.modificationDate: date ?? Date().addingTimeInterval(-seconds)], ofItemAtPath: url.path)
    }

    @Test func aFileWithTheSameSizeAndTimeIsTakenFromTheCacheAndAChangedTimeIsReadAgain() throws {
        let folder = try TemporaryContent(["orders/a.md": TemporaryContent.article("title: Alpha")])
        defer { folder.remove() }
        let file = folder.content.appendingPathComponent("orders/a.md")
        let past = Date().addingTimeInterval(-60)
        try age(file, by: 60, to: past)
        let cache = ContentCache()
        #expect(try ContentTree.load(from: folder.content.path, cache: cache).articles.map(\.title) == ["Alpha"])
        #expect(cache.count == 1)
        // Same size, same time: the cached parse is used (this is what makes a rebuild cheap).
        try folder.write("orders/a.md", TemporaryContent.article("title: Gamma"))
        try age(file, by: 60, to: past)
        #expect(try ContentTree.load(from: folder.content.path, cache: cache).articles.map(\.title) == ["Alpha"])
        // A new modification time: read again.
        try age(file, by: 30)
        #expect(try ContentTree.load(from: folder.content.path, cache: cache).articles.map(\.title) == ["Gamma"])
    }

    @Test func aFileModifiedJustBeforeItWasReadIsReadAgainNextTime() throws {
        let (folder, cache) = try contentLoadedOnce(["orders/a.md": TemporaryContent.article("title: Alpha")])
        defer { folder.remove() }
        #expect(cache.count == 0, "a file saved less than \(ContentCache.racyInterval) s before the read could change again unseen")
    }
}

/// The cross-article results a cached load reuses (links, related articles) must equal a fresh load's
/// after every kind of edit, on a tree large enough that most articles are not reached by one edit.
@Suite struct CachedLoadTests {
    static let words = ["order", "refund", "invoice", "shipping", "account", "password", "payment", "sample", "customs", "quote", "supplier", "dispute"]

    /// 48 articles in 12 categories (few per category, so lists reach across categories): titles and tags from a small vocabulary (so articles share terms),
    /// explicit `related:` entries, and links with anchors to other articles.
    static func files() -> [String: String] {
        var files: [String: String] = ["site.yml": "title: Cached\n"]
        for category in 0..<12 { files["c\(category)/_category.yml"] = "title: Category \(category)\n" }
        for n in 0..<48 {
            let title = "\(words[n % 12].capitalized) \(words[(n * 5 + 3) % 12]) \(n)"
            let tags = "[\(words[(n * 7) % 12]), \(words[(n + 4) % 12])]"
            let related = n % 3 == 0 ? "\nrelated: [../c\((n + 9) % 12)/a\((n + 9) % 48).md]" : ""
            let link = "[see](../c\((n + 6) % 12)/a\((n + 18) % 48).md#step-\(n % 2 + 1))"
            files["c\(n % 12)/a\(n).md"] = TemporaryContent.article("title: \(title)\nid: a\(n)\ntags: \(tags)\(related)",
                "## Step 1\n\nText \(link).\n\n## Step 2\n\nMore.\n")
        }
        return files
    }

    func snapshot(_ tree: ContentTree) -> [String] {
        tree.articles.map { article in
            "\(article.sourcePath) related=\(article.related.map { tree.articles[$0].sourcePath }) links=\(article.resolvedLinks.sorted { $0.key < $1.key })"
        } + tree.diagnostics.map(\.description) + tree.assets.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    /// Loads `folder` with `cache` and without one, and expects the same links, lists, diagnostics and assets.
    func expectCachedLoadMatchesFresh(_ folder: TemporaryContent, cache: ContentCache, _ comment: Comment) throws {
        let cached = try ContentTree.load(from: folder.content.path, cache: cache)
        #expect(snapshot(cached) == snapshot(try ContentTree.load(from: folder.content.path)), comment)
    }

    @Test func everyKindOfEditGivesTheSameLinksAndRelatedListsAsAFreshLoad() throws {
        var files = Self.files()
        let (folder, cache) = try contentLoadedOnce(files)
        defer { folder.remove() }
        func edit(_ path: String, _ change: (String) -> String, _ comment: Comment) throws {
            let changed = change(files[path]!)
            #expect(changed != files[path], "the edit changes the file")
            files[path] = changed
            try folder.write(path, files[path]!)
            try expectCachedLoadMatchesFresh(folder, cache: cache, comment)
        }
        try edit("c5/a5.md", { $0.replacingOccurrences(of: "title: Password", with: "title: Zebra customs") }, "title")
        try edit("c6/a6.md", { $0.replacingOccurrences(of: "tags: [payment, supplier]", with: "tags: [zebra]") }, "tags")
        try edit("c8/a20.md", { $0.replacingOccurrences(of: "## Step 1", with: "## Step one") }, "a heading others link to")
        try edit("c7/a7.md", { $0.replacingOccurrences(of: "id: a7", with: "id: a7\ndraft: true") }, "made a draft")
        try edit("c0/a0.md", { $0.replacingOccurrences(of: "related: [../c9/a9.md]", with: "related: [a30]") }, "related entry")
        try edit("c9/a9.md", { $0.replacingOccurrences(of: "id: a9", with: "id: a9\norder: 1") }, "order in its category")
        try edit("c1/a13.md", { $0 + "\nA new [link](../c3/a3.md#nowhere).\n" }, "body with a broken anchor")
        try edit("c7/a7.md", { $0.replacingOccurrences(of: "draft: true\n", with: "") }, "published again")
    }

    /// A term counts for related lists only in at most 20 articles here; one load that adds it to
    /// several articles at once can stop it counting for every article that has it.
    @Test func aBatchOfEditsThatStopsATermCountingReachesEveryArticleWithIt() throws {
        var files = Self.files()
        let (folder, cache) = try contentLoadedOnce(files)
        defer { folder.remove() }
        func addTerm(to numbers: Range<Int>) throws {
            for n in numbers {
                let path = "c\(n % 12)/a\(n).md"
                files[path] = files[path]!.replacingOccurrences(of: "\ntitle: ", with: "\ntitle: Zqxterm ")
                try folder.write(path, files[path]!)
            }
            try expectCachedLoadMatchesFresh(folder, cache: cache, "after adding the term to \(numbers)")
        }
        try addTerm(to: 0..<19)   // in 19 articles: counts
        try addTerm(to: 19..<22)  // in 22: no longer counts, for all 22
    }
}
