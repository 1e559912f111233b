import Foundation
import Synchronization

/// What one load of a content folder keeps for the next (`serve --watch`), so that a rebuild reads
/// and parses only the files that changed, and redoes the cross-article work (links, related
/// articles) only for the articles a change can reach.
///
/// A file counts as unchanged when its size (bytes) and modification time are those of the cached
/// parse and the site settings are the same (`base_url` and `raw_html` change what a parse produces).
/// A file modified less than ``racyInterval`` before it was read is not cached: file systems keep
/// modification times in coarse steps, so a second save within the same step could look unchanged
/// (Git's "racy clean" problem). Safe to use from several threads.
public final class ContentCache: Sendable {
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

    /// One article's resolved links, and what they were resolved against.
    struct LinkEntry: Sendable {
        /// ``Article/sourceDigest`` of the article when resolved.
        var sourceDigest: Int
        /// Content paths the links looked up as articles → what was there (``ContentTree/linkFacts(_:)``; nil: no article).
        var dependencies: [String: Int?]
        var resolved: [String: String?]
        var diagnostics: [Diagnostic]
        var assets: [(source: String, output: String)]
    }

    /// Link resolutions by article path, valid while the rest of the site (`world`: files, categories,
    /// claimed URLs, settings) is the same.
    private let links = Mutex<(world: Int, entries: [String: LinkEntry])>((0, [:]))

    func linkEntries(world: Int) -> [String: LinkEntry] {
        links.withLock { $0.world == world ? $0.entries : [:] }
    }

    func storeLinks(_ entries: [String: LinkEntry], world: Int) {
        links.withLock { $0 = (world, entries) }
    }

    /// The related articles of the last load, by article index, valid while the articles and
    /// categories (`world`) are the same: the inputs of each article (title, summary, tags, …),
    /// its terms, tags and `related:` entries, and the result.
    struct RelatedMemory: Sendable {
        var world: Int
        var inputs: [Int]
        var terms: [Set<String>]
        var tags: [Set<String>]
        var explicit: [[Int]]
        var related: [[Int]]
        /// Whether the list was filled in from the article's category (too few shared anything).
        var filledIn: [Bool]
    }

    private let relatedMemory = Mutex<RelatedMemory?>(nil)

    func related(world: Int) -> RelatedMemory? {
        relatedMemory.withLock { $0?.world == world ? $0 : nil }
    }

    func storeRelated(_ memory: RelatedMemory) {
        relatedMemory.withLock { $0 = memory }
    }

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
