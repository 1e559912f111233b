import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Answers plain `GET`s of the site's files from memory. The first `200` that `FileMiddleware` gives
/// for a path is kept whole (headers and body, bodies of at most ``maximumFileSize`` bytes) with the
/// file's stamp, and given again for that path while a stat(2) of the file finds the same stamp
/// (inode, size, modification time in nanoseconds): a rebuild, by `serve --watch` or by
/// `helpcenter build` beside a running server, is served at once, and an entry whose file changed or
/// went is dropped. A hit skips the router and `FileMiddleware` (percent-decoding, header making,
/// reading through the file thread pool), which was most of what a static page cost (bench/serve.py).
///
/// Only paths in canonical form are kept (``canonical(_:)``), so a file has at most two entries
/// (`/x/` and `/x/index.html`) however clients spell it, and the memory held is bounded by the site
/// and by ``maximumCacheSize``. Everything else goes on to `FileMiddleware` as before: `HEAD`,
/// conditional requests (`If-None-Match`, `If-Modified-Since`, answered there with `304`), `Range`
/// requests, and other spellings of a path.
struct SiteResponseCache: RouterMiddleware {
    typealias Context = HelpCenterRequestContext

    /// Bytes: larger bodies are not kept.
    static let maximumFileSize = 1 << 20
    /// Bytes: once the kept entries (body, path and headers) add up to this, further responses are not kept.
    static let maximumCacheSize = 128 << 20

    /// The site folder, without a trailing `/`.
    let folder: String
    /// The site's path prefix from its base URL (`""` or `/help`), as `FileMiddleware`'s `urlBasePath`.
    let root: String
    let entries: Entries

    init(folder: String, root: String, entries: Entries) {
        self.folder = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        self.root = root
        self.entries = entries
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get, let file = file(for: request) else { return try await next(request, context) }
        let path = request.uri.path
        let stamp = Stamp(of: file)
        if let entry = entries.entry(for: path, stamp: stamp) {
            return Response(status: .ok, headers: entry.headers, body: ResponseBody(byteBuffer: entry.body))
        }
        var response = try await next(request, context)
        guard let stamp, response.status == .ok, context.endpointPath == "FileMiddleware",
              let length = response.body.contentLength, length <= Self.maximumFileSize else { return response }
        let collector = Collector()
        try await response.body.write(collector)
        let body = collector.buffer.withLock { $0 }
        response.body = ResponseBody(byteBuffer: body)
        if response.headers[.contentLength] != String(body.readableBytes) {
            // The file was replaced between FileMiddleware's stat and its read: the headers describe
            // another version. The bytes go out with their own length and without validators.
            response.headers[.contentLength] = String(body.readableBytes)
            response.headers[.eTag] = nil
            response.headers[.lastModified] = nil
        } else if body.readableBytes == stamp.size, Stamp(of: file) == stamp {
            // Kept only when the file did not change while FileMiddleware read it.
            entries.store(Entry(stamp: stamp, headers: response.headers, body: body), for: path)
        }
        return response
    }

    /// The file `FileMiddleware` serves for a plain request of a canonical path (`/x/` →
    /// `x/index.html`), or nil when the request is not one this cache answers.
    func file(for request: Request) -> String? {
        let headers = request.headers
        guard headers[.ifNoneMatch] == nil, headers[.ifModifiedSince] == nil, headers[.range] == nil else { return nil }
        let path = request.uri.path
        guard path.hasPrefix(root), let relative = Self.canonical(path.utf8.dropFirst(root.utf8.count)) else { return nil }
        return folder + relative + (relative.hasSuffix("/") ? "index.html" : "")
    }

    /// `path` (UTF-8 bytes starting with `/`) percent-decoded, when it is written in the one form
    /// this cache keeps; nil otherwise. That form: no empty segment but the last (`//`), no `.`
    /// segment, no `..` anywhere (which `FileMiddleware` refuses), and `%` only as `%XX` with
    /// uppercase hex digits of a byte of a non-ASCII character, as browsers send such paths
    /// (RFC 3986 §2.1, §6.2.2: unreserved ASCII is never encoded); the decoded bytes valid UTF-8.
    static func canonical(_ path: some Collection<UInt8>) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.count)
        var rest = path[...]
        while let byte = rest.popFirst() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = rest.popFirst().flatMap(upperHexDigit), let low = rest.popFirst().flatMap(upperHexDigit), high >= 8 else { return nil }
            bytes.append(high << 4 | low)
        }
        guard bytes.first == UInt8(ascii: "/") else { return nil }
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        for (index, byte) in bytes.enumerated() {
            let next = index + 1 < bytes.count ? bytes[index + 1] : nil
            if byte == slash && next == slash { return nil }  // an empty segment
            if byte == dot && next == dot { return nil }  // `..`
            if byte == dot && bytes[index - 1] == slash && (next == nil || next == slash) { return nil }  // a `.` segment
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func upperHexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
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

        /// Bytes counted against ``SiteResponseCache/maximumCacheSize`` for this entry under `path`:
        /// body, path, header names and values, and a fixed 256 for the rest.
        func cost(path: String) -> Int {
            body.readableBytes + path.utf8.count + headers.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count } + 256
        }
    }

    /// The kept responses by request path; safe to use from several threads.
    final class Entries: Sendable {
        private struct State {
            var entries: [String: (entry: Entry, cost: Int)] = [:]
            var bytes = 0
        }

        private let state = Mutex(State())

        /// The entry kept for `path` when its file still has `stamp`; an entry whose file changed or
        /// went (`stamp` nil) is dropped.
        func entry(for path: String, stamp: Stamp?) -> Entry? {
            state.withLock { state in
                guard let kept = state.entries[path] else { return nil }
                if let stamp, kept.entry.stamp == stamp { return kept.entry }
                state.entries[path] = nil
                state.bytes -= kept.cost
                return nil
            }
        }

        func store(_ entry: Entry, for path: String) {
            let cost = entry.cost(path: path)
            state.withLock { state in
                let previous = state.entries[path]?.cost ?? 0
                guard state.bytes - previous + cost <= SiteResponseCache.maximumCacheSize else { return }
                state.entries[path] = (entry, cost)
                state.bytes += cost - previous
            }
        }

        /// The request paths with a kept response.
        var paths: Set<String> { state.withLock { Set($0.entries.keys) } }
    }
}
