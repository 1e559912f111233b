import Foundation
import HelpCenterTestSupport
import Testing

/// Runs the built `helpcenter` executable as a user would, on temporary content folders.
@Suite struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        TemporaryContent.repositoryRoot().appendingPathComponent(".build/debug/helpcenter")
    }

    func run(_ arguments: [String], stdin: String = "", in directory: URL) throws -> Run {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    static let files = [
        "guides/_category.yml": "title: Guides\n",
        "guides/start.md": TemporaryContent.article("title: Start", "Read [the next guide](next.md).\n"),
        "guides/next.md": TemporaryContent.article("title: Next"),
    ]

    @Test func buildPrintsOneSummaryLineAndWritesTheSite() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        let result = try run(["build"], in: folder.base)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("built 6 pages (2 articles in 1 category) into Site/ in ") == true)
        #expect(lines.first?.hasSuffix(": 0 warnings, 0 errors") == true)
        #expect(folder.output("guides/start/index.html")?.contains("<a href=\"/guides/next/\">the next guide</a>") == true)
    }

    @Test func brokenLinkFailsTheBuildWithFileLineAndColumnAndKeepsThePreviousSite() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        #expect(try run(["build"], in: folder.base).status == 0)
        let before = folder.output("guides/start/index.html")
        try folder.write("guides/start.md", TemporaryContent.article("title: Start", "Changed.\n\nSee [gone](gone.md) and [bad](#nope).\n"))
        let result = try run(["build", "--content", "Content", "--output", "Site"], in: folder.base)
        #expect(result.status == 1)
        #expect(result.stderr.contains("Content/guides/start.md:6:5: error: broken link 'gone.md'"))
        #expect(result.stderr.contains("Content/guides/start.md:6:25: warning: broken anchor '#nope'"))
        #expect(result.stdout.contains("build failed in"))
        #expect(folder.output("guides/start/index.html") == before)
    }

    @Test func anUnknownSearchCategoryPrintsTheSearchUsageAndTheCategories() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        #expect(try run(["build"], in: folder.base).status == 0)
        let result = try run(["search", "start", "--category", "Nope"], in: folder.base)
        #expect(result.status == 64)
        #expect(result.stderr.contains("no top-level category is named 'Nope'"))
        #expect(result.stderr.contains("  Guides  (guides)"))
        #expect(result.stderr.contains("Usage: helpcenter search <query> [--category <category>]"), "\(result.stderr)")
        #expect(!result.stderr.contains("<subcommand>"))
    }

    @Test func missingContentFolderIsAClearError() throws {
        let folder = try TemporaryContent([:])
        defer { folder.remove() }
        let result = try run(["build", "--content", "Nope"], in: folder.base)
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot read the content folder 'Nope'"))
    }

    @Test func renderReadsMarkdownOnStdinAndWritesHTML() throws {
        let folder = try TemporaryContent([:])
        defer { folder.remove() }
        let clean = try run(["render"], stdin: "# Hi\n", in: folder.base)
        #expect(clean.status == 0)
        #expect(clean.stderr.isEmpty)
        let result = try run(["render"], stdin: "> [!NOTE]\n> Hi [x](javascript:alert(1))\n", in: folder.base)
        #expect(result.status == 1)
        #expect(result.stdout == "<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Note</p>\n<p>Hi x</p>\n</div>\n")
        #expect(result.stderr.hasPrefix("<stdin>:2:6: error: link URL with the 'javascript:' scheme"))
    }
}
