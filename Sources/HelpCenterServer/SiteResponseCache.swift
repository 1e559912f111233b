import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Answers plain `GET`s of the site's files from memory. The first `200` that `FileMiddleware` gives
/// for a path is kept whole (headers and body, bodies of at most ``maximumFileSize`` bytes) with the
/// file's stamp, and given again for that path while a stat(2) of the file finds the same stamp
/// (inode, size, modification time in nanoseconds): a rebuild, by `serve --watch` or by
/// `helpcenter build` beside a running server, is served at once. A hit skips the router and
/// `FileMiddleware` (percent-decoding, header making, reading through the file thread pool), which
/// is most of what a static page cost (bench/serve.py).
///
/// Everything else goes on to `FileMiddleware` as before: `HEAD`, conditional requests
/// (`If-None-Match`, `If-Modified-Since`, answered there with `304`), `Range` requests, and paths
/// with `%` or `..` (whose file name this cache would have to decode the way `FileMiddleware` does).
struct SiteResponseCache: RouterMiddleware {
    typealias Context = HelpCenterRequestContext

    /// Bytes: larger bodies are not kept.
    static let maximumFileSize = 1 << 20
    /// Bytes: once the kept bodies add up to this, further responses are not kept.
    static let maximumCacheSize = 128 << 20

    /// The site folder, without a trailing `/`.
    let folder: String
    /// The site's path prefix from its base URL (`""` or `/help`), as `FileMiddleware`'s `urlBasePath`.
    let root: String
    private let entries = Entries()

    init(folder: String, root: String) {
        self.folder = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        self.root = root
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get, let file = file(for: request) else { return try await next(request, context) }
        let path = request.uri.path
        let stamp = Stamp(of: file)
        if let stamp, let entry = entries.entry(for: path, stamp: stamp) {
            return Response(status: .ok, headers: entry.headers, body: ResponseBody(byteBuffer: entry.body))
        }
        var response = try await next(request, context)
        guard let stamp, response.status == .ok, context.endpointPath == "FileMiddleware",
              let length = response.body.contentLength, length <= Self.maximumFileSize else { return response }
        let collector = Collector()
        try await response.body.write(collector)
        let body = collector.buffer.withLock { $0 }
        // Kept only when the file did not change while FileMiddleware read it.
        if body.readableBytes == stamp.size, Stamp(of: file) == stamp {
            entries.store(Entry(stamp: stamp, headers: response.headers, body: body), for: path)
        }
        response.body = ResponseBody(byteBuffer: body)
        return response
    }

    /// The file `FileMiddleware` serves for a plain request (`/x/` → `x/index.html`), or nil when
    /// the request is not one this cache answers.
    func file(for request: Request) -> String? {
        let headers = request.headers
        guard headers[.ifNoneMatch] == nil, headers[.ifModifiedSince] == nil, headers[.range] == nil else { return nil }
        let path = request.uri.path
        guard path.hasPrefix(root), path.utf8.dropFirst(root.utf8.count).first == UInt8(ascii: "/"), Self.isPlain(path) else { return nil }
        let relative = path.dropFirst(root.count)
        return folder + relative + (relative.hasSuffix("/") ? "index.html" : "")
    }

    /// Whether `path` has no `%` and no `..` (one pass over its UTF-8 bytes: Foundation's
    /// `contains` goes through CFString).
    static func isPlain(_ path: String) -> Bool {
        var previous: UInt8 = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "%") || (byte == UInt8(ascii: ".") && previous == byte) { return false }
            previous = byte
        }
        return true
    }

    struct Stamp: Equatable {
        var inode: UInt64
        var size: Int
        var seconds: Int
        var nanoseconds: Int

        /// stat(2) of a regular file; nil when there is none at `path`.
        init?(of path: String) {
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
            inode = UInt64(info.st_ino)
            size = Int(info.st_size)
            seconds = Int(info.st_mtim.tv_sec)
            nanoseconds = Int(info.st_mtim.tv_nsec)
        }
    }

    struct Entry: Sendable {
        var stamp: Stamp
        var headers: HTTPFields
        var body: ByteBuffer
    }

    final class Entries: Sendable {
        private struct State {
            var entries: [String: Entry] = [:]
            var bytes = 0
        }

        private let state = Mutex(State())

        func entry(for path: String, stamp: Stamp) -> Entry? {
            state.withLock { state in
                guard let entry = state.entries[path], entry.stamp == stamp else { return nil }
                return entry
            }
        }

        func store(_ entry: Entry, for path: String) {
            state.withLock { state in
                let previous = state.entries[path]?.body.readableBytes ?? 0
                guard state.bytes - previous + entry.body.readableBytes <= SiteResponseCache.maximumCacheSize else { return }
                state.entries[path] = entry
                state.bytes += entry.body.readableBytes - previous
            }
        }
    }
}
