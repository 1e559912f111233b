import Foundation
import HelpCenterReset

/// Hands a message to the local mail system the way many Unix hosts relay mail: piped to
/// `sendmail -t -oi` (recipients from the headers; a line with a lone "." does not end the message).
/// The exit status follows sysexits(3): 75 (`EX_TEMPFAIL`) is temporary, any other failure permanent.
public struct SendmailTransport: Sendable {
    /// The sendmail program (postfix, exim and OpenSMTPD all install one at `/usr/sbin/sendmail`).
    public var path: String
    /// Seconds sendmail may take before it is stopped (a temporary failure).
    public var timeout: Double

    public init(path: String = "/usr/sbin/sendmail", timeout: Double = 30) {
        self.path = path
        self.timeout = timeout
    }

    /// Pipes `message` (LF line ends) to `path -t -oi` and waits for it.
    /// - Throws: ``DeliveryFailure``: temporary when sendmail cannot start, exits 75 or times out;
    ///   permanent for another non-zero exit status.
    public func send(_ message: MailMessage) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-t", "-oi"]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            // A signal (the timeout's SIGTERM) is told apart from an exit status by its sign.
            process.terminationHandler = { continuation.resume(returning: $0.terminationReason == .uncaughtSignal ? -$0.terminationStatus : $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: DeliveryFailure(.temporary, "cannot start \(path): \(error.localizedDescription)"))
                return
            }
            let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
            let data = Data(message.rendered().replacingOccurrences(of: "\r\n", with: "\n").utf8)
            try? input.fileHandleForWriting.write(contentsOf: data)
            try? input.fileHandleForWriting.close()
        }
        let detail = String(decoding: errors.fileHandleForReading.availableData.prefix(500), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        switch status {
        case 0: return
        case 75: throw DeliveryFailure(.temporary, "\(path) exited with status 75 (EX_TEMPFAIL): \(detail)")
        case ..<0: throw DeliveryFailure(.temporary, "\(path) was stopped by signal \(-status) (it had \(timeout) s)")
        default: throw DeliveryFailure(.permanent, "\(path) exited with status \(status): \(detail)")
        }
    }
}
