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

/// `serve --config` and `outbox` as an operator runs them.
@Suite struct ServerConfigCommandTests {
    let cli = CommandLineTests()

    @Test func aBadConfigurationStopsTheStartWithFileLineAndColumn() throws {
        let folder = try TemporaryContent(CommandLineTests.files)
        defer { folder.remove() }
        try "email:\n  transport: smtp\n  from: help@example.com\n  smtp:\n    host: localhost\n    security: ssl\n    password: top-secret-1\n"
            .write(to: folder.base.appendingPathComponent("server.yml"), atomically: true, encoding: .utf8)
        let result = try cli.run(["serve", "--config", "server.yml", "--port", "0"], in: folder.base)
        #expect(result.status != 0)
        #expect(result.stderr.contains("server.yml:6:15: error: email.smtp.security must be starttls, tls or plain, not 'ssl'"), "\(result.stderr)")
        #expect(!(result.stdout + result.stderr).contains("top-secret-1"))
        #expect(folder.output("index.html") == nil, "nothing was built or served")
        // A value that is only found wrong when used is placed too.
        try "email:\n  transport: smtp\n  from: help@example.com\n  smtp:\n    host: smtp.example.com\n    security: plain\n"
            .write(to: folder.base.appendingPathComponent("plain.yml"), atomically: true, encoding: .utf8)
        let plain = try cli.run(["serve", "--config", "plain.yml", "--port", "0"], in: folder.base)
        #expect(plain.status != 0 && plain.stderr.contains("plain.yml:6:15: error: security 'plain' sends passwords and codes in clear text"), "\(plain.stderr)")
        let missing = try cli.run(["outbox", "list", "--config", "nowhere.yml"], in: folder.base)
        #expect(missing.status != 0 && missing.stderr.contains("nowhere.yml:1:1: error: cannot read the configuration file"))
    }

    @Test func outboxListShowsAnEmptyQueueAndRetryOfAnUnknownMessageIsAnError() throws {
        let folder = try TemporaryContent([:])
        defer { folder.remove() }
        let typo = try cli.run(["outbox", "list", "--database", "h.sqlite"], in: folder.base)
        #expect(typo.status != 0 && typo.stderr.contains("no database at h.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: folder.base.appendingPathComponent("h.sqlite").path), "a typo makes no database")
        _ = try cli.run(["accounts", "list", "--database", "h.sqlite"], in: folder.base)
        let list = try cli.run(["outbox", "list", "--database", "h.sqlite"], in: folder.base)
        #expect(list.status == 0 && list.stdout == "no messages\n")
        // Reading the queue needs the database, not the peers' secrets; serving needs them.
        try "server:\n  database: h.sqlite\ndirectory:\n  backend: http\n  url: https://marketplace.example/api\n"
            .write(to: folder.base.appendingPathComponent("server.yml"), atomically: true, encoding: .utf8)
        let withoutSecrets = try cli.run(["outbox", "list", "--config", "server.yml"], in: folder.base)
        #expect(withoutSecrets.status == 0 && withoutSecrets.stdout == "no messages\n", "\(withoutSecrets.stderr)")
        let serve = try cli.run(["serve", "--config", "server.yml", "--port", "0"], in: folder.base)
        #expect(serve.status == 64 && serve.stderr.contains("server.yml:4:12: error: the directory's signing secret is missing"), "\(serve.stderr)")
        let retry = try cli.run(["outbox", "retry", "nope", "--database", "h.sqlite"], in: folder.base)
        #expect(retry.status != 0 && retry.stderr.contains("no queued or sending message nope"))
        let test = try cli.run(["outbox", "test", "--to", "a@example.com"], in: folder.base)
        #expect(test.status != 0 && test.stderr.contains("no email transport is configured"))
    }
}
