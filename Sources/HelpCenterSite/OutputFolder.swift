import Foundation

/// Writes the files of a site under a root folder, creating folders as needed. Safe to use from
/// several threads (each call touches one file).
struct OutputFolder: Sendable {
    let root: URL

    /// Writes a new file (into a staging folder: plain open/write/close, no sync — the folder swap
    /// makes the whole site appear at once, and syncing each file costs more than rendering it).
    /// - Throws: `CocoaError` when the file cannot be written.
    func write(_ data: Data, to path: String) throws {
        let url = root.appendingPathComponent(path)
        try makeFolders(url.deletingLastPathComponent().path)
        try Self.write(data, to: url.path)
    }

    /// Replaces the file at `path` whole: written beside it, then renamed over it (POSIX rename(2) is
    /// atomic), so a reader sees the old or the new bytes, never a mix.
    func replace(_ data: Data, at path: String) throws {
        let url = root.appendingPathComponent(path)
        try makeFolders(url.deletingLastPathComponent().path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).new-\(getpid())").path
        try Self.write(data, to: temporary)
        guard rename(temporary, url.path) == 0 else {
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }

    /// Removes the file at `path`, and its folder when that is left empty (not the root).
    func remove(_ path: String) throws {
        let url = root.appendingPathComponent(path)
        guard unlink(url.path) == 0 || errno == ENOENT else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path]) }
        var folder = url.deletingLastPathComponent()
        while folder.path.count > root.path.count, rmdir(folder.path) == 0 { folder = folder.deletingLastPathComponent() }
    }

    /// A hash of the bytes (Swift `Hasher`: per process).
    static func digest(_ data: Data) -> Int {
        var hasher = Hasher()
        data.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }

    /// `mkdir -p`: creates the folder and its missing parents; folders made at the same time by
    /// another thread are fine.
    private func makeFolders(_ path: String) throws {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        try makeFolders((path as NSString).deletingLastPathComponent)
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
    }

    private static func write(_ data: Data, to path: String) throws {
        guard let file = fopen(path, "wb") else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        let written = data.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard fclose(file) == 0, written == data.count else { throw CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: path]) }
    }
}
