import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HelpCenterTestSupport
import Testing

/// `helpcenter serve --watch` as a process over a real socket: an edit shows up without a restart.
@Suite struct WatchTests {
    static let files = [
        "guides/_category.yml": "title: Guides\n",
        "guides/refunds.md": TemporaryContent.article("title: Refund timeline\nid: \"1\"", "How long a refund takes.\n"),
        "guides/payments.md": TemporaryContent.article("title: Payment methods\nrelated:\n  - guides/refunds.md", "Cards and transfers.\n"),
    ]

    func get(_ url: String) async -> (status: Int, body: String)? {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 5
        guard let (data, response) = try? await URLSession.shared.data(for: request) else { return nil }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Polls `url` until `condition` holds, for up to `seconds`.
    func eventually(_ url: String, seconds: Double = 30, _ condition: (String) -> Bool) async -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if let page = await get(url), page.status == 200, condition(page.body) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Starts `helpcenter serve ARGUMENTS` in `folder` on a random port; returns it and its base URL.
    func serve(_ arguments: [String], in folder: TemporaryContent) throws -> (process: Process, base: String) {
        let port = FreePort.make()
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = ["serve", "--port", "\(port)", "--database", "w.sqlite"] + arguments
        process.currentDirectoryURL = folder.base
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, "http://127.0.0.1:\(port)")
    }

    /// What `curl ARGUMENTS` prints.
    func curl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }

    func stop(_ process: Process) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    @Test func editingATitleUpdatesItsPageCategoryRelatedListsAndSearchWithoutARestart() async throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        let (process, base) = try serve(["--watch"], in: folder)
        defer { stop(process) }
        #expect(await eventually(base + "/guides/refunds/") { $0.contains("Refund timeline") })
        #expect(await eventually(base + "/guides/refunds/") { $0.contains("/_watch/reload.js") })

        try folder.write("guides/refunds.md", TemporaryContent.article("title: How long do refunds take?\nid: \"1\"", "How long a refund takes.\n"))
        #expect(await eventually(base + "/guides/refunds/") { $0.contains("<h1>How long do refunds take?</h1>") })
        #expect(await eventually(base + "/guides/") { $0.contains("How long do refunds take?") })
        #expect(await eventually(base + "/guides/payments/") { $0.contains("How long do refunds take?") })
        #expect(await eventually(base + "/api/search?q=refunds%20take") { $0.contains("\"title\":\"How long do refunds take?\"") })

        // A broken link keeps the last good site and reports the file and line to open pages.
        try folder.write("guides/refunds.md", TemporaryContent.article("title: Broken\nid: \"1\"", "See [gone](gone.md).\n"))
        try await Task.sleep(for: .seconds(2))
        #expect(await get(base + "/guides/refunds/")?.body.contains("How long do refunds take?") == true)
        #expect(process.isRunning)

        // A page listening for reloads does not keep the server from stopping on SIGTERM.
        let listener = URLSession.shared.dataTask(with: URL(string: base + "/_watch/events")!)
        listener.resume()
        try await Task.sleep(for: .milliseconds(500))
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        listener.cancel()
        #expect(!process.isRunning, "serve --watch did not stop within 10 s of SIGTERM with a page listening")
    }

    static let broken = TemporaryContent.article("title: Refund timeline\nid: \"1\"", "See [gone](gone.md).\n")

    @Test func serveStartsOverBrokenContentWithAPageListingTheProblems() async throws {
        var files = Self.files
        files["guides/refunds.md"] = Self.broken
        let folder = try TemporaryContent(files)
        defer { folder.remove() }
        let (process, base) = try serve([], in: folder)
        defer { stop(process) }
        #expect(await eventually(base + "/") { $0.contains("Content/guides/refunds.md:5:5: error:") && $0.contains("could not be built") })
        #expect(process.isRunning)
    }

    @Test func serveWatchOverBrokenContentServesTheLastGoodSiteAndShowsTheProblems() async throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        #expect(try CommandLineTests().run(["build"], in: folder.base).status == 0)
        try folder.write("guides/refunds.md", Self.broken)
        let (process, base) = try serve(["--watch"], in: folder)
        defer { stop(process) }
        #expect(await eventually(base + "/guides/refunds/") { $0.contains("Refund timeline") && $0.contains("/_watch/reload.js") })
        // The overlay's event: open pages list the problem with its file and line (read for 3 s with curl,
        // as Linux's URLSession cannot stream a response).
        let seen = try curl(["-sN", "--max-time", "3", base + "/_watch/events"])
        #expect(seen.contains("event: problems") && seen.contains("refunds.md:5:5: error"), "\(seen)")
        // Fixed: the site is built and served.
        try folder.write("guides/refunds.md", TemporaryContent.article("title: Refunds fixed\nid: \"1\"", "Body.\n"))
        #expect(await eventually(base + "/guides/refunds/") { $0.contains("<h1>Refunds fixed</h1>") })
    }

    /// Issue 23: an article whose raw HTML nests tens of thousands of elements, saved under
    /// `serve --watch`, is flattened with a warning; the preview server stays up and serves it.
    @Test(arguments: ["<div>", "<span>", "<li>", "<details>", "<font>", "<b><i>"])
    func savingDeeplyNestedRawHTMLNeverTakesThePreviewDown(_ open: String) async throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        let (process, base) = try serve(["--watch"], in: folder)
        defer { stop(process) }
        #expect(await eventually(base + "/guides/refunds/") { $0.contains("Refund timeline") })
        try folder.write("guides/refunds.md", TemporaryContent.article("title: Deep\nid: \"1\"", "<div>\n" + String(repeating: open, count: 30_000) + "deepest words\n</div>\n"))
        #expect(await eventually(base + "/guides/refunds/") { $0.contains("<h1>Deep</h1>") && $0.contains("deepest words") }, "\(open)")
        #expect(process.isRunning, "\(open)")
    }

    /// Issue 24, finding 15: `helpcenter build` beside a running `serve` (no `--watch`): the search
    /// API and redirects follow the new build, not only the pages.
    @Test func serveFollowsABuildRunBesideIt() async throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        let (process, base) = try serve([], in: folder)
        defer { stop(process) }
        #expect(await eventually(base + "/api/search?q=refund") { $0.contains("Refund timeline") })
        try folder.write("guides/refunds.md", TemporaryContent.article("title: Money back schedule\nid: \"1\"\naliases: [/old/refunds/]", "How long a refund takes.\n"))
        #expect(try CommandLineTests().run(["build"], in: folder.base).status == 0)
        #expect(await eventually(base + "/api/search?q=schedule") { $0.contains("Money back schedule") })
        // The new alias is a real 301 (curl, which does not follow it: Linux's URLSession mangles the target).
        let answer = try curl(["-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", base + "/old/refunds/"])
        #expect(answer == "301 \(base)/guides/refunds/", "\(answer)")
    }
}
