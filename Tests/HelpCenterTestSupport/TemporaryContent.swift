import Foundation

/// A content folder written into a fresh temporary directory for one test, removed on `remove()`.
public struct TemporaryContent {
    /// The temporary directory holding `Content/` (and, after a build, the output folder).
    public let base: URL
    public var content: URL { base.appendingPathComponent("Content") }
    public var site: URL { base.appendingPathComponent("Site") }

    /// Writes `files` (path inside `Content/` → text) into a new temporary folder.
    public init(_ files: [String: String]) throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("helpcenter-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        for (path, text) in files { try write(path, text) }
    }

    /// Writes (or replaces) one file inside `Content/`.
    public func write(_ path: String, _ text: String) throws {
        let url = content.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The text of a file inside `Content/`, or nil when it does not exist.
    public func file(_ path: String) -> String? {
        try? String(contentsOf: content.appendingPathComponent(path), encoding: .utf8)
    }

    /// The text of a file inside the output folder, or nil when it does not exist.
    public func output(_ path: String) -> String? {
        try? String(contentsOf: site.appendingPathComponent(path), encoding: .utf8)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: base)
    }

    /// An article file: front matter from `frontMatter` lines, then `body`.
    public static func article(_ frontMatter: String, _ body: String = "Body text.\n") -> String {
        "---\n" + frontMatter + "\n---\n" + body
    }

    /// The repository's own folder (for the sample `Content/` and the built executable).
    public static func repositoryRoot(file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
