import Foundation
import HelpCenterDelivery
import HelpCenterReset
import Testing

/// `sendmail -t -oi` as the transport. The sendmail here is a shell script standing in for the MTA's
/// program (configuring a real postfix is out of these tests' reach): it checks the contract the
/// transport relies on, the arguments, the message on standard input and the exit status (sysexits(3)).
@Suite(.serialized) struct SendmailTransportTests {
    /// A sendmail stand-in running `script` (sh), with the folder it may write into.
    func withSendmail(_ script: String, _ body: (String, URL) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sendmail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sendmail").path
        // Written through a close-on-exec descriptor: one inherited by a process another test starts
        // meanwhile would make running the script fail with ETXTBSY.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o700)
        #expect(fd >= 0)
        let text = Array("#!/bin/sh\ncd '\(folder.path)'\n\(script)\n".utf8)
        #expect(write(fd, text, text.count) == text.count)
        close(fd)
        try await body(path, folder)
    }

    let message = MailMessage(from: "Help <help@tradebridge.example>", to: "buyer@example.com", subject: "Ünïcode subject", text: ".line\nmore", html: "<p>x</p>")

    @Test func theMessageGoesToStandardInputWithDashTAndDashOi() async throws {
        try await withSendmail(#"echo "$@" > args; cat > message"#) { path, folder in
            try await SendmailTransport(path: path, timeout: 5).send(message)
            #expect(try String(contentsOf: folder.appendingPathComponent("args"), encoding: .utf8) == "-t -oi\n")
            let sent = try String(contentsOf: folder.appendingPathComponent("message"), encoding: .utf8)
            #expect(sent.contains("To: buyer@example.com\n") && sent.contains("Subject: =?utf-8?B?") && !sent.contains("\r"))
            #expect(sent.contains("\n.line\n"), "no dot-stuffing: -oi keeps a line with a dot")
        }
    }

    @Test(arguments: [(75, DeliveryFailure.Kind.temporary), (67, .permanent), (1, .permanent)])
    func theExitStatusSaysTemporaryOrPermanent(status: Int, kind: DeliveryFailure.Kind) async throws {
        try await withSendmail("cat > /dev/null; echo 'no such user' >&2; exit \(status)") { path, _ in
            let failure = try await #require(throws: DeliveryFailure.self) { try await SendmailTransport(path: path, timeout: 5).send(message) }
            #expect(failure.kind == kind && failure.reason.contains("status \(status)") && failure.reason.contains("no such user"), "\(failure)")
        }
    }

    /// A sendmail that ignores SIGTERM is killed 2 s after its timeout; one that leaves a child
    /// holding standard error does not keep the transport waiting.
    @Test func aSendmailThatHangsIsStoppedAndAChildLeftBehindDoesNotHoldIt() async throws {
        try await withSendmail("trap '' TERM; cat > /dev/null; sleep 30") { path, _ in
            let start = ContinuousClock.now
            let failure = try await #require(throws: DeliveryFailure.self) { try await SendmailTransport(path: path, timeout: 1).send(message) }
            #expect(failure.kind == .temporary && failure.reason.contains("signal"))
            #expect(ContinuousClock.now - start < .seconds(10))
        }
        try await withSendmail("cat > /dev/null; (sleep 30 >&2 &) ; exit 0") { path, _ in
            let start = ContinuousClock.now
            try await SendmailTransport(path: path, timeout: 5).send(message)
            #expect(ContinuousClock.now - start < .seconds(10))
        }
    }

    /// Sendmail gets standard input, output and error, nothing else of this process: a socket it
    /// inherited, kept by a child it left behind, stayed open after the server closed it.
    @Test func sendmailInheritsNoOtherDescriptor() async throws {
        var pair: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { close(pair[0]); close(pair[1]) }
        try await withSendmail("cat > /dev/null; for fd in \(pair[0]) \(pair[1]); do [ -e /proc/$$/fd/$fd ] && echo open >> fds; done; touch fds") { path, folder in
            try await SendmailTransport(path: path, timeout: 5).send(message)
            #expect(try String(contentsOf: folder.appendingPathComponent("fds"), encoding: .utf8).isEmpty)
        }
    }

    @Test func anAddressThatWouldAddARecipientIsRefusedBeforeSendmailRuns() async throws {
        try await withSendmail("cat > message") { path, folder in
            for to in ["buyer@example.com\nBcc: evil@attacker.example", "buyer@example.com, evil@attacker.example"] {
                var bad = message
                bad.to = to
                await #expect(throws: DeliveryFailure.self) { try await SendmailTransport(path: path, timeout: 5).send(bad) }
            }
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("message").path))
        }
    }
}
