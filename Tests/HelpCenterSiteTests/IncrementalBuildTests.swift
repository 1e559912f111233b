import Foundation
import HelpCenterContent
import HelpCenterSite
import HelpCenterTestSupport
import Testing

/// `serve --watch` rebuilds in place with a ``BuildCache``: after any edit the site must be exactly
/// what a whole new build of the same content gives, while writing only what changed.
@Suite struct IncrementalBuildTests {
    func build(_ folder: TemporaryContent, into output: URL, cache: BuildCache?) throws -> SiteBuilder.Summary {
        let tree = try ContentTree.load(from: folder.content.path, cache: cache?.articles)
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

@Suite struct ArticleCacheTests {
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
        let cache = ArticleCache()
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
        let folder = try TemporaryContent(["orders/a.md": TemporaryContent.article("title: Alpha")])
        defer { folder.remove() }
        let cache = ArticleCache()
        _ = try ContentTree.load(from: folder.content.path, cache: cache)
        #expect(cache.count == 0, "a file saved less than \(ArticleCache.racyInterval) s before the read could change again unseen")
    }
}
