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
    @Test(arguments: ["build", "check", "new", "mv", "links", "import", "report", "serve", "search", "accounts", "accounts add", "accounts import", "accounts list",
                      "outbox", "outbox list", "outbox retry", "outbox test", "render"])
    func helpTextIsPinned(_ command: String) throws {
        let folder = try TemporaryContent([:])
        defer { folder.remove() }
        let help = try cli.run(command.split(separator: " ").map(String.init) + ["--help"], in: folder.base)
        #expect(help.status == 0)
        let pinned = TemporaryContent.repositoryRoot().appendingPathComponent("Tests/helpcenterTests/help/\(command.replacingOccurrences(of: " ", with: "-")).txt")
        #expect(help.stdout == (try String(contentsOf: pinned, encoding: .utf8)), "helpcenter \(command) --help changed; if on purpose, update \(pinned.lastPathComponent)")
    }
}

/// `helpcenter mv` and `helpcenter links` on a small tree with links in both directions.
@Suite struct MoveCommandTests {
    let cli = CommandLineTests()

    static let files = [
        "guides/_category.yml": "title: Guides\n",
        "howto/_category.yml": "title: How-to\n",
        "guides/start.md": TemporaryContent.article("title: Start\nid: \"7\"", "Read [the next guide](next.md#step-two) and [how-to](../howto/).\n\n![logo](logo.png)\n"),
        "guides/logo.png": "png",
        "guides/next.md": TemporaryContent.article("title: Next\nrelated:\n  - guides/start.md", "## Step two\n\nBack to [start](start.md).\n"),
        "howto/deep.md": TemporaryContent.article("title: Deep\nrelated: [\"../guides/start.md\"]", "See [start](../guides/start.md) and [next](/guides/next.md).\n"),
    ]

    @Test func movingAnArticleRewritesEveryLinkKeepsCheckCleanAndRedirectsTheOldURL() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        let links = try cli.run(["links", "guides/start.md"], in: folder.base)
        #expect(links.status == 0)
        #expect(links.stdout.contains("is linked from 4 places:"))
        #expect(links.stdout.contains("Content/guides/next.md:8:9: link start.md"))
        #expect(links.stdout.contains("it links to 3 places:"))

        let moved = try cli.run(["mv", "Content/guides/start.md", "howto/getting-started.md"], in: folder.base)
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdout.contains("moved 1 article; added 1 alias; rewrote 7 links in 3 files"))
        #expect(moved.stdout.contains("check: 0 warnings, 0 errors"))
        let article = folder.file("howto/getting-started.md") ?? ""
        #expect(article.contains("[the next guide](../guides/next.md#step-two)") && article.contains("[how-to](./)"))
        #expect(article.contains("![logo](../guides/logo.png)") && article.contains("aliases:\n  - /guides/start/\n"))
        #expect(folder.file("guides/next.md")?.contains("  - howto/getting-started.md") == true)
        #expect(folder.file("guides/next.md")?.contains("[start](../howto/getting-started.md)") == true)
        #expect(folder.file("howto/deep.md")?.contains("related: [\"getting-started.md\"]") == true)
        #expect(folder.file("howto/deep.md")?.contains("[start](getting-started.md)") == true)
        #expect(try cli.run(["check", "--strict"], in: folder.base).status == 0)
        #expect(try cli.run(["build"], in: folder.base).status == 0)
        #expect(folder.output("_redirects")?.contains("/guides/start/ /howto/getting-started/ 301\n") == true)
        #expect(folder.output("_redirects")?.contains("/a/7/ /howto/getting-started/ 301\n") == true)
    }

    @Test func movingACategoryFolderKeepsLinksIntoAndOutOfIt() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        let moved = try cli.run(["mv", "guides", "howto/guides"], in: folder.base)
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdout.contains("moved 2 articles; added 2 aliases"))
        #expect(folder.file("howto/deep.md")?.contains("[start](guides/start.md)") == true)
        #expect(folder.file("howto/guides/start.md")?.contains("[how-to](../)") == true)
        #expect(try cli.run(["check", "--strict"], in: folder.base).status == 0)
    }

    @Test func badMovesChangeNothing() throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        for (arguments, message) in [(["mv", "guides/none.md", "x.md"], "is not an article"), (["mv", "guides/start.md", "guides/next.md"], "exists already"),
                                     (["mv", "guides/start.md", "nowhere/start.md"], "there is no folder 'nowhere'"),
                                     (["mv", "guides/start.md", "guides/start.txt"], "must end in .md"), (["mv", "guides", "guides/inner"], "cannot move into itself")] {
            let result = try cli.run(arguments, in: folder.base)
            #expect(result.status != 0 && result.stderr.contains(message), "\(arguments)")
        }
        #expect(folder.file("guides/start.md") == Self.files["guides/start.md"])
        #expect(folder.file("guides/next.md") == Self.files["guides/next.md"])
    }
}

/// `helpcenter import` run on an export folder.
@Suite struct ImportCommandTests {
    let cli = CommandLineTests()

    @Test func importsIntoANewFolderThenBuildsAndRefusesAFullOneUnlessForced() throws {
        let folder = try TemporaryContent([:])
        defer { folder.remove() }
        let export = folder.base.appendingPathComponent("export/k")
        try FileManager.default.createDirectory(at: export, withIntermediateDirectories: true)
        try #"{"name": "Knowledge", "position": 1}"#.write(to: export.appendingPathComponent(".group.json"), atomically: true, encoding: .utf8)
        try "---\ntitle: A\nid: 1\n---\nSee [b](https://old.example.com/articles/2-b).\n".write(to: export.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        try "---\ntitle: B\nid: 2\n---\n>![info]\n> Hi.\n".write(to: export.appendingPathComponent("b.md"), atomically: true, encoding: .utf8)
        let dry = try cli.run(["import", "export", "--into", "Imported", "--legacy-url", "https://old.example.com/articles/{id}", "--dry-run"], in: folder.base)
        #expect(dry.status == 0 && dry.stdout.hasPrefix("would import 2 articles and 1 category into Imported/"))
        #expect(!FileManager.default.fileExists(atPath: folder.base.appendingPathComponent("Imported").path))
        let run = try cli.run(["import", "export", "--into", "Imported", "--legacy-url", "https://old.example.com/articles/{id}"], in: folder.base)
        #expect(run.status == 0)
        #expect(run.stdout.contains("links to the old help center rewritten: 1; left external (id not in the export): 0"))
        #expect(run.stdout.contains("callouts converted: 1"))
        let built = try cli.run(["build", "--content", "Imported", "--output", "Out"], in: folder.base)
        #expect(built.status == 0 && built.stdout.contains("(2 articles in 1 category)"), "\(built.stderr)")
        let again = try cli.run(["import", "export", "--into", "Imported"], in: folder.base)
        #expect(again.status != 0 && again.stderr.contains("is not empty"))
        #expect(try cli.run(["import", "export", "--into", "Imported", "--force"], in: folder.base).status == 0)
        #expect(try cli.run(["import", "export", "--into", "Other", "--legacy-url", "https://old.example.com/"], in: folder.base).stderr.contains("must contain {id}"))
    }
}
