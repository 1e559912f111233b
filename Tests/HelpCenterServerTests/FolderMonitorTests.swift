import Foundation
@testable import HelpCenterServer
import Testing

@Suite struct FolderMonitorTests {
    /// Waits up to `seconds` for the monitor to count a change after `generation`.
    func changeSeen(after generation: Int, by monitor: FolderMonitor, within seconds: Double = 3) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if monitor.generation > generation { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test func seesSavesInNewSubfoldersAndInAFolderThatReplacedTheWatchedOne() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("monitor-\(UUID().uuidString)")
        let content = base.appendingPathComponent("Content")
        try FileManager.default.createDirectory(at: content.appendingPathComponent("orders"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let monitor = FolderMonitor(folder: content.path)
        defer { monitor.stop() }
        try await Task.sleep(for: .milliseconds(100))  // the monitor's thread sets its watches

        var seen = monitor.generation
        try Data("a".utf8).write(to: content.appendingPathComponent("orders/a.md"))
        #expect(try await changeSeen(after: seen, by: monitor), "a save in a subfolder")

        seen = monitor.generation
        try FileManager.default.createDirectory(at: content.appendingPathComponent("new/deeper"), withIntermediateDirectories: true)
        try await Task.sleep(for: .milliseconds(100))
        seen = monitor.generation
        try Data("b".utf8).write(to: content.appendingPathComponent("new/deeper/b.md"))
        #expect(try await changeSeen(after: seen, by: monitor), "a save in a folder made after the start")

        // mv Content Content.old && cp -r Content.old Content: the path now names another folder.
        try FileManager.default.moveItem(at: content, to: base.appendingPathComponent("Content.old"))
        try FileManager.default.copyItem(at: base.appendingPathComponent("Content.old"), to: content)
        try await Task.sleep(for: .milliseconds(500))
        seen = monitor.generation
        try Data("c".utf8).write(to: content.appendingPathComponent("orders/a.md"))
        #expect(try await changeSeen(after: seen, by: monitor), "a save in the folder that replaced the watched one")
    }
}
