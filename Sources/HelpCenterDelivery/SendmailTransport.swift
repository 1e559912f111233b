import Foundation
import HelpCenterReset
import NIOConcurrencyHelpers

/// Hands a message to the local mail system the way many Unix hosts relay mail: piped to
/// `sendmail -t -oi` (recipients from the headers; a line with a lone "." does not end the message).
/// The exit status follows sysexits(3): 75 (`EX_TEMPFAIL`) is temporary, any other failure permanent.
public struct SendmailTransport: Sendable {
    /// The sendmail program (postfix, exim and OpenSMTPD all install one at `/usr/sbin/sendmail`).
    public var path: String
    /// Seconds sendmail may take before it is stopped (SIGTERM, then SIGKILL 2 s later): a temporary failure.
    public var timeout: Double

    public init(path: String = "/usr/sbin/sendmail", timeout: Double = 30) {
        self.path = path
        self.timeout = timeout
    }

    /// Pipes `message` (LF line ends) to `path -t -oi` and waits for it.
    /// - Throws: ``DeliveryFailure``: permanent for an address that is not one plain address (`-t`
    ///   reads recipients from the headers) or a non-zero exit status other than 75; temporary when
    ///   sendmail cannot start, exits 75 or times out.
    public func send(_ message: MailMessage) async throws {
        try MailMessage.checkAddresses(of: message)
        // Standard error into a file, not a pipe: a child sendmail leaves behind could hold a pipe open.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("sendmail-\(UUID().uuidString).err")
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let data = Array(message.rendered().replacingOccurrences(of: "\r\n", with: "\n").utf8)
        let (path, timeout) = (self.path, self.timeout)
        // posix_spawn and waitpid on a thread of their own: Foundation's Process learns of an exit only
        // once every process holding its inherited descriptor has ended, grandchildren included.
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.run(path: path, input: data, errorFile: errorFile.path, timeout: timeout) })
            }
        }
        let detail = String(decoding: ((try? Data(contentsOf: errorFile)) ?? Data()).prefix(500), as: UTF8.self)
            .unicodeScalars.filter { $0.properties.generalCategory != .control }.map(String.init).joined()
        switch status {
        case 0: return
        case 75: throw DeliveryFailure(.temporary, "\(path) exited with status 75 (EX_TEMPFAIL): \(detail)")
        case ..<0: throw DeliveryFailure(.temporary, "\(path) was stopped by signal \(-status) (it had \(timeout) s)")
        default: throw DeliveryFailure(.permanent, "\(path) exited with status \(status): \(detail)")
        }
    }

    /// Runs `path -t -oi` in a process group of its own with `input` on standard input and standard
    /// error into `errorFile`; stops the group (SIGTERM, SIGKILL 2 s later) after `timeout` seconds.
    /// Returns the exit status, or minus the signal that ended it. Blocks the calling thread.
    static func run(path: String, input: [UInt8], errorFile: String, timeout: Double) throws -> Int32 {
        var pipe: [Int32] = [0, 0]
        // Close-on-exec, so that no other sendmail started meanwhile holds the pipe open (dup2 onto 0
        // clears it); made and marked under a lock that every spawn here takes.
        spawning.lock()
        guard Glibc.pipe(&pipe) == 0 else {
            spawning.unlock()
            throw DeliveryFailure(.temporary, "cannot start \(path): no pipe")
        }
        _ = fcntl(pipe[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipe[1], F_SETFD, FD_CLOEXEC)
        let errorFD = open(errorFile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { if errorFD >= 0 { close(errorFD) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        if errorFD >= 0 { posix_spawn_file_actions_adddup2(&actions, errorFD, 2) }
        // Nothing else of this process goes to sendmail (a socket it kept, in a child it left behind,
        // would stay open after this process closed it).
        closeInheritedDescriptors(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid: pid_t = 0
        let words: [String] = [path, "-t", "-oi"]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        let spawned = posix_spawn(&pid, path, &actions, &attributes, arguments, environ)
        spawning.unlock()
        close(pipe[0])
        guard spawned == 0 else {
            close(pipe[1])
            throw DeliveryFailure(.temporary, "cannot start \(path): \(String(cString: strerror(spawned)))")
        }
        let group = pid
        // Signals go to the group only while its leader is not yet reaped (its id could be reused after).
        let reaped = NIOLockedValueBox(false)
        let stopped = DispatchWorkItem {
            reaped.withLockedValue { if !$0 { kill(-group, SIGTERM) } }
            DispatchQueue.global().asyncAfter(deadline: .now() + 2) { reaped.withLockedValue { if !$0 { kill(-group, SIGKILL) } } }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: stopped)
        signal(SIGPIPE, SIG_IGN)  // a sendmail that exits without reading must not end this process
        var written = 0
        while written < input.count {
            let count = input[written...].withUnsafeBytes { write(pipe[1], $0.baseAddress, $0.count) }
            if count <= 0 { break }
            written += count
        }
        close(pipe[1])
        var status: Int32 = 0
        // Waits without reaping, so that the group's id stays ours until the flag is set.
        var info = siginfo_t()
        while waitid(P_PID, id_t(group), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        reaped.withLockedValue { $0 = true }
        stopped.cancel()
        while waitpid(group, &status, 0) < 0 && errno == EINTR {}
        let signaled = status & 0x7f
        return signaled == 0 ? (status >> 8) & 0xff : -signaled
    }
}

/// Held while a sendmail's pipe is made and the process spawned.
private let spawning = NSLock()

/// Adds to `actions` the closing of every descriptor from 3 up: glibc's
/// `posix_spawn_file_actions_addclosefrom_np` (2.34+, which Swift's Glibc module does not export),
/// else each descriptor open now, as /proc/self/fd lists them.
private func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        return
    }
    let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    for descriptor in open where descriptor > 2 { posix_spawn_file_actions_addclose(&actions, descriptor) }
}
