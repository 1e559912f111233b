import Foundation
import Synchronization

/// Parsed articles kept between two loads of the same content folder (`serve --watch`), so that a
/// rebuild reads and parses only the files that changed.
///
/// A file counts as unchanged when its size (bytes) and modification time are those of the cached
/// parse and the site settings are the same (`base_url` and `raw_html` change what a parse produces).
/// A file modified less than ``racyInterval`` before it was read is not cached: file systems keep
/// modification times in coarse steps, so a second save within the same step could look unchanged
/// (Git's "racy clean" problem). Safe to use from several threads.
public final class ArticleCache: Sendable {
    /// An article file as found by the folder scan.
    struct SourceFile: Sendable {
        var path: String
        var size: Int
        var modified: Date
    }

    private struct Entry {
        var size: Int
        var modified: Date
        var config: SiteConfig
        var result: (Article, [Diagnostic])
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// Seconds: files modified this recently before being read are read again on the next load.
    public static let racyInterval: TimeInterval = 2

    public init() {}

    /// The number of cached articles.
    public var count: Int { entries.withLock { $0.count } }

    func article(for file: SourceFile, config: SiteConfig) -> (Article, [Diagnostic])? {
        entries.withLock { entries in
            guard let entry = entries[file.path], entry.size == file.size, entry.modified == file.modified, entry.config == config else { return nil }
            return entry.result
        }
    }

    /// Keeps the parse of `file`, read at `readStart` (or not, when the file was modified too recently to tell a later save).
    func store(_ result: (Article, [Diagnostic]), for file: SourceFile, config: SiteConfig, readStart: Date) {
        entries.withLock { entries in
            if file.modified < readStart.addingTimeInterval(-Self.racyInterval) {
                entries[file.path] = Entry(size: file.size, modified: file.modified, config: config, result: result)
            } else {
                entries[file.path] = nil
            }
        }
    }

    /// Forgets the files that are gone.
    func keep(_ paths: Set<String>) {
        entries.withLock { entries in entries = entries.filter { paths.contains($0.key) } }
    }
}
