import Foundation
import HelpCenterTestSupport
import Testing

/// `helpcenter check` and `helpcenter new`, run on temporary content trees.
@Suite struct EditorCommandTests {
    let cli = CommandLineTests()

    static let files = [
        "guides/_category.yml": "title: Guides\n",
        "guides/start.md": TemporaryContent.article("title: Start\nid: \"7\"", "Read [the next guide](next.md).\n"),
        "guides/next.md": TemporaryContent.article("title: Next\nid: \"12\""),
    ]

    @Test func checkIsCleanOnGoodContentAndWritesNothing() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        let result = try cli.run(["check"], in: folder.base)
        #expect(result.status == 0)
        #expect(result.stdout == "checked 2 articles in 1 category: 0 warnings, 0 errors\n")
        #expect(!FileManager.default.fileExists(atPath: folder.base.appendingPathComponent("Site").path))
    }

    @Test func checkReportsErrorsAndWarningsInEachFormatWithItsExitStatus() throws {
        var files = Self.files
        files["guides/start.md"] = TemporaryContent.article("title: Start", "See [gone](gone.md) and [bad anchor](next.md#nope).\n")
        let folder = try TemporaryContent(files)
        defer { folder.remove() }
        let text = try cli.run(["check"], in: folder.base)
        #expect(text.status == 2)
        #expect(text.stdout.contains("Content/guides/start.md:4:5: error: "))
        #expect(text.stdout.contains("Content/guides/start.md:4:25: warning: "))
        let json = try cli.run(["check", "--format", "json"], in: folder.base)
        #expect(json.status == 2)
        let objects = try json.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(objects.count == 2)
        #expect(objects.contains { $0["severity"] as? String == "error" && $0["file"] as? String == "Content/guides/start.md" && $0["line"] as? Int == 4 && $0["column"] as? Int == 5 })
        let github = try cli.run(["check", "--format", "github"], in: folder.base)
        #expect(github.stdout.split(separator: "\n").first?.hasPrefix("::error file=Content/guides/start.md,line=4,col=5::") == true)

        files["guides/start.md"] = TemporaryContent.article("title: Start", "See [bad anchor](next.md#nope).\n")
        let warningsOnly = try TemporaryContent(files)
        defer { warningsOnly.remove() }
        #expect(try cli.run(["check"], in: warningsOnly.base).status == 0)
        #expect(try cli.run(["check", "--strict"], in: warningsOnly.base).status == 1)
    }

    @Test func newWritesAnArticleWithTheNextIdThatBuildsClean() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        let result = try cli.run(["new", "How do I \"export\" orders?", "--category", "guides"], in: folder.base)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "Content/guides/how-do-i-export-orders.md\nURL: /guides/how-do-i-export-orders/   permalink: /a/13/\n")
        let text = try String(contentsOf: folder.base.appendingPathComponent("Content/guides/how-do-i-export-orders.md"), encoding: .utf8)
        #expect(text.hasPrefix("---\ntitle: \"How do I \\\"export\\\" orders?\"\nid: \"13\"\n"))
        #expect(text.contains("related: []"))
        let check = try cli.run(["check"], in: folder.base)
        #expect(check.status == 0 && check.stdout.hasPrefix("checked 3 articles"))
        let again = try cli.run(["new", "How do I \"export\" orders?", "--category", "guides"], in: folder.base)
        #expect(again.status != 0 && again.stderr.contains("exists already"))
        let taken = try cli.run(["new", "Other", "--category", "guides", "--id", "7"], in: folder.base)
        #expect(taken.status != 0 && taken.stderr.contains("the id '7' is taken"))
        let nowhere = try cli.run(["new", "Other", "--category", "nowhere"], in: folder.base)
        #expect(nowhere.status != 0 && nowhere.stderr.contains("no category folder 'nowhere'"))
    }

    /// Every subcommand's `--help`, pinned whole: a change to an option or its help text shows up here.
    @Test(arguments: ["build", "check", "new", "serve", "search", "accounts", "accounts add", "accounts import", "accounts list", "render"])
    func helpTextIsPinned(_ command: String) throws {
        let folder = try TemporaryContent([:])
        defer { folder.remove() }
        let help = try cli.run(command.split(separator: " ").map(String.init) + ["--help"], in: folder.base)
        #expect(help.status == 0)
        let pinned = TemporaryContent.repositoryRoot().appendingPathComponent("Tests/helpcenterTests/help/\(command.replacingOccurrences(of: " ", with: "-")).txt")
        #expect(help.stdout == (try String(contentsOf: pinned, encoding: .utf8)), "helpcenter \(command) --help changed; if on purpose, update \(pinned.lastPathComponent)")
    }
}
