import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The site's files for Hummingbird's `FileMiddleware`, kept in memory once read: pages, index shards
/// and assets are small and asked for again and again, and reading each from disk through the file
/// thread pool costs more than serving it. Every request still stat(2)s the file, and a file whose
/// inode, size or modification time (nanoseconds) changed is read again — so a rebuild, by
/// `serve --watch` or by `helpcenter build` beside a running server, is served at once.
/// Files over ``maximumFileSize`` bytes, and range requests, are streamed from disk as before.
struct SiteFileProvider: FileProvider {
    /// What `FileMiddleware` needs (folder, size, modification time for `Last-Modified` and `ETag`), and
    /// the stamp that tells whether the cached bytes are still the file's.
    struct FileAttributes: Sendable, FileMiddlewareFileAttributes {
        var isFolder: Bool
        var size: Int
        var modificationDate: Date
        var stamp: Stamp
    }

    struct Stamp: Sendable, Equatable {
        var inode: UInt64
        var size: Int
        var seconds: Int
        var nanoseconds: Int
    }

    typealias FileIdentifier = String

    /// Bytes: larger files are not kept in memory.
    static let maximumFileSize = 1 << 20
    /// Bytes: once the cache holds this much, more files are served from disk without being kept.
    static let maximumCacheSize = 128 << 20

    private let local: LocalFileSystem
    private let cache = Cache()

    init(rootFolder: String, logger: Logger) {
        local = LocalFileSystem(rootFolder: rootFolder, threadPool: .singleton, logger: logger)
    }

    func getFileIdentifier(_ path: String) -> String? {
        local.getFileIdentifier(path)
    }

    func getAttributes(id path: String) async throws -> FileAttributes? {
        Self.attributes(of: path)
    }

    func loadFile(id path: String, context: some RequestContext) async throws -> ResponseBody {
        guard let attributes = Self.attributes(of: path), !attributes.isFolder, attributes.size <= Self.maximumFileSize else {
            return try await local.loadFile(id: path, context: context)
        }
        if let buffer = cache.buffer(for: path, stamp: attributes.stamp) { return ResponseBody(byteBuffer: buffer) }
        guard let data = FileManager.default.contents(atPath: path) else { return try await local.loadFile(id: path, context: context) }
        let buffer = ByteBuffer(data: data)
        // Kept only when the file did not change while it was read.
        if buffer.readableBytes == attributes.size, Self.attributes(of: path)?.stamp == attributes.stamp {
            cache.store(buffer, for: path, stamp: attributes.stamp)
        }
        return ResponseBody(byteBuffer: buffer)
    }

    func loadFile(id path: String, range: ClosedRange<Int>, context: some RequestContext) async throws -> ResponseBody {
        try await local.loadFile(id: path, range: range, context: context)
    }

    /// stat(2) of `path`, nil when it does not exist.
    static func attributes(of path: String) -> FileAttributes? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let stamp = Stamp(inode: UInt64(info.st_ino), size: Int(info.st_size), seconds: Int(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec))
        return FileAttributes(isFolder: info.st_mode & S_IFMT == S_IFDIR, size: stamp.size,
                              modificationDate: Date(timeIntervalSince1970: Double(stamp.seconds)), stamp: stamp)
    }

    final class Cache: Sendable {
        private struct State {
            var entries: [String: (stamp: Stamp, buffer: ByteBuffer)] = [:]
            var bytes = 0
        }

        private let state = Mutex(State())

        func buffer(for path: String, stamp: Stamp) -> ByteBuffer? {
            state.withLock { state in
                guard let entry = state.entries[path], entry.stamp == stamp else { return nil }
                return entry.buffer
            }
        }

        func store(_ buffer: ByteBuffer, for path: String, stamp: Stamp) {
            state.withLock { state in
                let previous = state.entries[path]?.buffer.readableBytes ?? 0
                guard state.bytes - previous + buffer.readableBytes <= SiteFileProvider.maximumCacheSize else { return }
                state.entries[path] = (stamp, buffer)
                state.bytes += buffer.readableBytes - previous
            }
        }
    }
}
