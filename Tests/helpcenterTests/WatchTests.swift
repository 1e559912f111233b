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

    @Test func editingATitleUpdatesItsPageCategoryRelatedListsAndSearchWithoutARestart() async throws {
        let folder = try TemporaryContent(Self.files)
        defer { folder.remove() }
        let port = Int.random(in: 20_000...40_000)
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = ["serve", "--watch", "--port", "\(port)", "--database", "w.sqlite"]
        process.currentDirectoryURL = folder.base
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        let base = "http://127.0.0.1:\(port)"
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
}
