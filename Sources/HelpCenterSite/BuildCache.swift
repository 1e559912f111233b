import Foundation
import HelpCenterContent
import HelpCenterSearch
import Synchronization

/// What `serve --watch` keeps from one build to the next, so that saving one article re-parses,
/// re-renders and rewrites only what depends on it: the parsed articles, the search index's
/// analyses and files, and for each file of the site the key it was made from and a digest of its
/// bytes. Keys and digests are Swift `Hasher` values (per process: never stored). Safe to use from
/// several threads.
public final class BuildCache: Sendable {
    /// Parsed articles and cross-article results, for ``ContentTree/load(from:cache:)``.
    public let content = ContentCache()
    let search = SearchIndex.Cache()

    private struct State {
        /// The path of the site folder these files are in; nil until a build succeeded.
        var folder: String?
        var keys: [String: Int] = [:]
        var digests: [String: Int] = [:]
        var pageCount = 0
    }

    private let state = Mutex(State())
    /// Article path → the search document made from it, and the key of what it was made from.
    private let documents = Mutex<[String: (key: Int, document: SearchDocument)]>([:])

    /// The search document of the article at `path` when it was made from the same `key`, else a new one from `make`.
    func searchDocument(for path: String, key: Int, make: () -> SearchDocument) -> SearchDocument {
        if let entry = documents.withLock({ $0[path] }), entry.key == key { return entry.document }
        let document = make()
        documents.withLock { $0[path] = (key, document) }
        return document
    }
    private let index = Mutex<SearchIndex?>(nil)

    /// The search index of the last build, for the server's `/api/search` (no need to read it back from the files).
    public internal(set) var searchIndex: SearchIndex? {
        get { index.withLock { $0 } }
        set { index.withLock { $0 = newValue } }
    }

    public init() {}

    /// Whether the site in `folder` is the one the last build with this cache wrote (and still has its marker).
    func built(_ folder: URL) -> Bool {
        state.withLock { $0.folder == Self.path(folder) }
            && FileManager.default.fileExists(atPath: folder.appendingPathComponent(SiteBuilder.marker).path)
    }

    /// The digest of the file at `path` if it was made from `key`.
    func digest(of path: String, ifKey key: Int) -> Int? {
        state.withLock { $0.keys[path] == key ? $0.digests[path] : nil }
    }

    func digest(of path: String) -> Int? {
        state.withLock { $0.digests[path] }
    }

    /// Every file path of the last build.
    var paths: [String] { state.withLock { Array($0.digests.keys) } }

    var pageCount: Int { state.withLock { $0.pageCount } }

    func remember(_ outputs: [SiteBuilder.Output], digests: [String: Int]) {
        state.withLock { state in
            state.digests = digests
            state.keys = [:]
            for output in outputs { if let key = output.key { state.keys[output.path] = key } }
            state.pageCount = outputs.count(where: \.isPage)
        }
    }

    func remember(_ folder: URL) {
        state.withLock { $0.folder = Self.path(folder) }
    }

    /// The folder's path without a trailing `/` (a URL gets one once the folder exists).
    private static func path(_ folder: URL) -> String {
        let path = folder.standardizedFileURL.path
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// Drops what is known of the site folder (after a failed write), so the next build writes a whole site.
    func forget() {
        state.withLock { $0 = State() }
    }
}
