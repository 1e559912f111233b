import Foundation
import HelpCenterContent
import HelpCenterSite
import HelpCenterTestSupport
import Testing

/// The build never destroys what it did not write, and never publishes what it should not.
@Suite struct OutputSafetyTests {
    static let files = ["c/a.md": TemporaryContent.article("title: A")]

    func build(_ folder: TemporaryContent, into output: URL) throws {
        let tree = try ContentTree.load(from: folder.content.path)
        _ = try SiteBuilder(tree: tree, theme: try Theme.load(for: tree)).build(into: output)
    }

    @Test func outputThatHoldsOrIsTheContentFolderIsRefused() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        try Data("notes".utf8).write(to: folder.base.appendingPathComponent("NOTES.txt"))
        for output in [folder.content, folder.base, folder.content.appendingPathComponent("Site")] {
            #expect(throws: SiteBuilder.BuildError.self) { try build(folder, into: output) }
        }
        #expect(FileManager.default.fileExists(atPath: folder.content.appendingPathComponent("c/a.md").path))
        #expect(FileManager.default.fileExists(atPath: folder.base.appendingPathComponent("NOTES.txt").path))
    }

    @Test func foreignFolderOrFileAtTheOutputIsNotReplaced() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        let foreign = folder.base.appendingPathComponent("Docs")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: foreign.appendingPathComponent("keep.txt"))
        #expect(throws: SiteBuilder.BuildError.self) { try build(folder, into: foreign) }
        #expect(FileManager.default.fileExists(atPath: foreign.appendingPathComponent("keep.txt").path))
        let file = folder.base.appendingPathComponent("file-output")
        try Data("x".utf8).write(to: file)
        #expect(throws: SiteBuilder.BuildError.self) { try build(folder, into: file) }
        // An earlier site (it has the marker) and an empty folder are replaced.
        try build(folder, into: folder.site)
        try build(folder, into: folder.site)
        #expect(folder.output(SiteBuilder.marker) != nil)
    }

    @Test func staleStagingFolderOfAKilledBuildIsRemoved() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        let stale = folder.base.appendingPathComponent(".Site.building-999999")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        try build(folder, into: folder.site)
        #expect(!FileManager.default.fileExists(atPath: stale.path))
    }

    @Test func activeFileTypesAreNotPublished() throws {
        let folder = try TemporaryContent([
            "c/a.md": TemporaryContent.article("title: A", "[guide](guide.html) ![logo](logo.svg) [form](form.pdf)\n"),
            "c/guide.html": "<script>alert(document.domain)</script>",
            "c/logo.svg": "<svg onload=alert(1)></svg>",
            "c/form.pdf": "%PDF",
        ])
        defer { folder.remove() }
        let tree = try ContentTree.load(from: folder.content.path)
        #expect(tree.diagnostics.filter { $0.severity == .error }.count == 2)
        #expect(tree.assets == ["c/form.pdf": "c/form.pdf"])
    }

    @Test func filesAndAliasesCannotReplaceGeneratedFiles() throws {
        let folder = try TemporaryContent([
            "c/a.md": TemporaryContent.article("title: A\naliases: [/index.html, /robots.txt, /assets/style.css]", "[x](../assets/style.css)\n"),
            "assets/style.css": "body{}",
        ])
        defer { folder.remove() }
        let tree = try ContentTree.load(from: folder.content.path)
        #expect(tree.diagnostics.filter { $0.severity == .error }.count == 4)
        #expect(tree.redirects.isEmpty)
    }

    @Test func symbolicLinksAreSkippedWithAWarning() throws {
        let folder = try TemporaryContent(["c/a.md": TemporaryContent.article("title: A", "![h](host.png)\n")])
        defer { folder.remove() }
        try FileManager.default.createSymbolicLink(atPath: folder.content.appendingPathComponent("c/host.png").path, withDestinationPath: "/etc/hostname")
        try FileManager.default.createSymbolicLink(atPath: folder.content.appendingPathComponent("c/loop").path, withDestinationPath: ".")
        let tree = try ContentTree.load(from: folder.content.path)
        #expect(tree.articles.count == 1)
        #expect(tree.assets.isEmpty)
        #expect(tree.diagnostics.filter { $0.message.hasPrefix("symbolic link skipped") }.count == 2)
    }

    @Test func themeOutsideTheContentFolderIsAnError() throws {
        let folder = try TemporaryContent(["site.yml": "theme: ../../../../etc\n", "c/a.md": TemporaryContent.article("title: A")])
        defer { folder.remove() }
        let tree = try ContentTree.load(from: folder.content.path)
        #expect(tree.diagnostics.map(\.severity) == [.error])
        #expect(tree.config.theme == nil)
    }

    @Test func folderWithoutLettersDoesNotPublishOverItsParent() throws {
        let folder = try TemporaryContent([
            "!!!/16909060.md": TemporaryContent.article("title: Numbers"),
            "c/!!!/x.md": TemporaryContent.article("title: X"),
            "c/x.md": TemporaryContent.article("title: Other X"),
        ])
        defer { folder.remove() }
        let tree = try ContentTree.load(from: folder.content.path)
        #expect(tree.diagnostics.isEmpty)
        #expect(Set(tree.articles.map(\.url)) == ["/category/16909060/", "/c/category/x/", "/c/x/"])
    }

    @Test func templateThatIsNotUTF8IsAnError() throws {
        let folder = try TemporaryContent(["site.yml": "theme: mytheme\n", "c/a.md": TemporaryContent.article("title: A")])
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.content.appendingPathComponent("mytheme"), withIntermediateDirectories: true)
        try Data([0xFF, 0xFE, 0x41]).write(to: folder.content.appendingPathComponent("mytheme/article.mustache"))
        let tree = try ContentTree.load(from: folder.content.path)
        #expect(throws: Theme.LoadError.self) { try Theme.load(for: tree) }
    }
}
