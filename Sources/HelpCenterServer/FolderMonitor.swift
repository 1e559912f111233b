import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells when anything changes under a folder, its subfolders included: a file saved, created,
/// removed, renamed or touched. On Linux it uses inotify(7) (the kernel reports each change at once,
/// whatever the number of files); elsewhere it compares sizes and modification times every 200 ms.
final class FolderMonitor: @unchecked Sendable {
    /// The number of changes seen so far, after each burst of changes (several may arrive as one).
    let changes: AsyncStream<Int>
    private let continuation: AsyncStream<Int>.Continuation
    private let root: String
    private let lock = NSLock()
    private var stopped = false
    private var changeCount = 0

    /// The number of changes seen so far: a rebuild that starts after reading it includes them all.
    var generation: Int { lock.withLock { changeCount } }

    private func changed() {
        continuation.yield(lock.withLock { changeCount += 1; return changeCount })
    }

    init(folder: String) {
        root = URL(fileURLWithPath: folder).standardizedFileURL.path
        (changes, continuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        let thread = Thread { [self] in run() }
        thread.name = "helpcenter folder monitor"
        thread.start()
    }

    /// Stops watching and ends ``changes``.
    func stop() {
        lock.withLock { stopped = true }
        continuation.finish()
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    #if canImport(Glibc)
    private func run() {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { return }
        defer { close(fd) }
        let mask = UInt32(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)
        var folders: [Int32: String] = [:]
        func watch(_ folder: String) {
            let descriptor = inotify_add_watch(fd, folder, mask)
            if descriptor >= 0 { folders[descriptor] = folder }
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                var isDirectory: ObjCBool = false
                let path = folder + "/" + name
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
                   (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType == .typeDirectory {
                    watch(path)
                }
            }
        }
        watch(root)
        // The folder itself moved or removed (`mv Content Content.old && cp -r Content.old Content`):
        // inotify follows the old folder, so every watch is dropped and the path watched anew once it exists.
        var rootReplaced = false
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !isStopped {
            if rootReplaced, FileManager.default.fileExists(atPath: root) {
                for descriptor in folders.keys { inotify_rm_watch(fd, descriptor) }
                folders = [:]
                watch(root)
                rootReplaced = false
                changed()
            }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { continue }
            var offset = 0
            while offset < count {
                let (descriptor, eventMask, length, name) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, Int, String) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    let nameBytes = raw[nameStart..<(nameStart + Int(event.len))].prefix { $0 != 0 }
                    return (event.wd, event.mask, Int(event.len), String(decoding: nameBytes, as: UTF8.self))
                }
                offset += MemoryLayout<inotify_event>.size + length
                // A new folder (created or moved in) is watched too, with what is already inside it.
                if eventMask & UInt32(IN_ISDIR) != 0, eventMask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, let parent = folders[descriptor] {
                    watch(parent + "/" + name)
                }
                if folders[descriptor] == root, eventMask & UInt32(IN_MOVE_SELF | IN_DELETE_SELF) != 0 { rootReplaced = true }
                if eventMask & UInt32(IN_IGNORED) != 0 { folders[descriptor] = nil }
            }
            changed()
        }
    }
    #else
    private func run() {
        var last = fingerprint()
        while !isStopped {
            Thread.sleep(forTimeInterval: 0.2)
            let now = fingerprint()
            if now != last { last = now; changed() }
        }
    }

    /// Every file under the folder with its size and modification time.
    private func fingerprint() -> [String: [Double]] {
        var result: [String: [Double]] = [:]
        let keys: [URLResourceKey] = [.contentModificationDateKey, .fileSizeKey]
        guard let files = FileManager.default.enumerator(at: URL(fileURLWithPath: root), includingPropertiesForKeys: keys) else { return [:] }
        for case let url as URL in files {
            let values = try? url.resourceValues(forKeys: Set(keys))
            result[url.path] = [values?.contentModificationDate?.timeIntervalSince1970 ?? 0, Double(values?.fileSize ?? 0)]
        }
        return result
    }
    #endif
}
