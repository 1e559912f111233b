import Foundation
import HelpCenterDelivery
@testable import HelpCenterReset
import HelpCenterSite
import HelpCenterTestSupport
import Logging
import Testing

/// Issue 16: email over SMTP to a real server (aiosmtpd) in plain, STARTTLS and implicit-TLS modes
/// with a CA the test makes; what arrives is parsed with Python's email package.
@Suite(.serialized) struct SMTPDeliveryTests {
    static let siteName = "TradeBridge Hilfe — Ünïcode-Zentrum"
    static let baseURL = "https://help.tradebridge.example/hilfe"

    /// A harness whose outbox sends email through `client` (HTML from the default theme).
    func withSMTP(_ peerArguments: [String], security: SMTPClient.Configuration.Security, host: String = "localhost",
                  username: String? = nil, password: String? = nil, useCA: Bool = true,
                  _ body: (ResetHarness, Outbox, PeerProcess, SMTPClient) async throws -> Void) async throws {
        let peer = try PeerProcess(smtp: ["--mode", security.rawValue] + peerArguments)
        let h = try await ResetHarness.make(siteName: Self.siteName, baseURL: Self.baseURL)
        try await h.run(stopping: peer) {
            try await h.addAccounts()
            let client = try SMTPClient(configuration: .init(host: host, port: peer.port, security: security, username: username, password: password,
                                                             caFile: useCA ? peer.caFile : nil, heloName: "helpcenter.test",
                                                             connectTimeout: 5, commandTimeout: 5))
            let theme = try Theme.load(overrideFolder: nil)
            let email = EmailDelivery(transport: .smtp(client), from: "\(Self.siteName) <help@tradebridge.example>", html: { message in
                theme.renderEmail(EmailModel(siteName: Self.siteName, siteURL: Self.baseURL, subject: message.subject, text: message.body))
            })
            let outbox = Outbox(store: h.store, delivery: email, clock: { h.clock.now }, logger: h.logs.logger)
            try await body(h, outbox, peer, client)
        }
    }

    /// Starts a flow for buyer@example.com and asks for an email code; returns the browser token.
    func askForCode(_ h: ResetHarness) async throws -> String {
        let browser = try await h.start("buyer@example.com")
        #expect(try await h.service.choose(.email, browser: browser, client: "192.0.2.1") == .codeSent)
        return browser
    }

    @Test(arguments: [
        (SMTPClient.Configuration.Security.plain, "127.0.0.1"), (.starttls, "localhost"), (.tls, "localhost"), (.tls, "127.0.0.1"),
    ])
    func theCodeArrivesAsATextAndHTMLMessageWithAUTF8SubjectAndALinkFromTheBaseURL(security: SMTPClient.Configuration.Security, host: String) async throws {
        try await withSMTP(["--user", "help", "--password", "pässwörd 1"], security: security, host: host, username: "help", password: "pässwörd 1") { h, outbox, peer, _ in
            let browser = try await askForCode(h)
            #expect(try await outbox.deliverPending() == 1)
            let message = try #require(try peer.received().first)
            #expect(message["subject"] as? String == "Your \(Self.siteName) verification code")
            #expect(message["from"] as? String == "\(Self.siteName) <help@tradebridge.example>")
            #expect(message["mail_from"] as? String == "help@tradebridge.example")
            #expect(message["rcpt_tos"] as? [String] == ["buyer@example.com"])
            #expect(message["user"] as? String == "help")
            #expect(message["tls"] as? Bool == (security != .plain))
            #expect(message["auto_submitted"] as? String == "auto-generated")
            #expect((message["message_id"] as? String)?.hasSuffix("@tradebridge.example>") == true)
            #expect(message["content_type"] as? String == "multipart/alternative")
            #expect((message["defects"] as? [String])?.isEmpty == true)
            #expect((message["longest_line"] as? Int ?? 999) <= 78)
            let parts = try #require(message["parts"] as? [[String: Any]])
            #expect(parts.map { $0["type"] as? String } == ["text/plain", "text/html"])
            #expect(parts.allSatisfy { $0["charset"] as? String == "utf-8" })
            let text = try #require(parts[0]["text"] as? String), html = try #require(parts[1]["text"] as? String)
            let code = try #require(text.firstMatch(of: /\b(\d{6})\b/).map { String($0.1) })
            #expect(html.contains(code))
            #expect(text.contains("\(Self.baseURL)/account/reset/code"))
            #expect(html.contains("<a href=\"\(Self.baseURL)/account/reset/code\""))
            #expect(html.contains("<html lang=\"en\">") && html.contains(Self.siteName.replacingOccurrences(of: "—", with: "—")))
            // The code that arrived is the flow's code; the outbox kept no body.
            #expect(try await h.service.verifyCode(code, browser: browser) == .verified)
            let row = try await h.outboxRow(channel: "email")
            #expect(row.state == "sent" && row.body.isEmpty && row.attempts == 1)
        }
    }

    @Test func authLoginIsUsedWhenPlainIsNotOfferedAndAWrongPasswordFailsForGood() async throws {
        try await withSMTP(["--user", "help", "--password", "right one", "--no-plain-auth"], security: .starttls, username: "help", password: "right one") { h, outbox, peer, client in
            let transcript = TranscriptLines()
            try await client.send(MailMessage(from: "help@tradebridge.example", to: "buyer@example.com", subject: "s", text: "t", html: nil),
                                  transcript: transcript.append)
            #expect(transcript.lines.contains("C: AUTH LOGIN"))
            #expect(!transcript.lines.joined().contains("right one") && !transcript.lines.joined().contains(Data("right one".utf8).base64EncodedString()))
            #expect(try peer.received().count == 1)
            let wrong = try SMTPClient(configuration: .init(host: "localhost", port: peer.port, security: .starttls, username: "help",
                                                            password: "wrong one", caFile: peer.caFile, commandTimeout: 5))
            let failure = try await #require(throws: DeliveryFailure.self) {
                try await wrong.send(MailMessage(from: "help@tradebridge.example", to: "buyer@example.com", subject: "s", text: "t", html: nil))
            }
            #expect(failure.kind == .permanent && failure.reason.contains("535"))
        }
    }

    @Test(arguments: [("self-signed", true), ("wrong-name", true), ("good", false)])
    func aCertificateThatIsNotTrustedForTheHostIsRefused(certificate: String, useCA: Bool) async throws {
        for security in [SMTPClient.Configuration.Security.starttls, .tls] {
            try await withSMTP(["--cert", certificate], security: security, useCA: useCA) { h, outbox, peer, client in
                let failure = try await #require(throws: DeliveryFailure.self) {
                    try await client.send(MailMessage(from: "help@tradebridge.example", to: "buyer@example.com", subject: "s", text: "t", html: nil))
                }
                #expect(failure.kind == .temporary && failure.reason.contains("TLS handshake failed"), "\(failure)")
                #expect(try peer.received().isEmpty)
            }
        }
    }

    @Test(arguments: ["smtp.example.com", "127.0.0.1.evil.example", "127.evil.example", "localhost.", "0.0.0.0", "::ffff:127.0.0.1", "[::1]"])
    func plainIsRefusedToAHostThatIsNotLoopback(host: String) throws {
        #expect(throws: DeliveryFailure.self) { try SMTPClient(configuration: .init(host: host, port: 25, security: .plain)) }
    }

    /// Replies injected after the answer to STARTTLS, before the handshake, are refused (they once
    /// made the client report "sent" for a message that went nowhere).
    @Test func repliesInjectedBeforeTheTLSHandshakeAreRefused() async throws {
        let peer = try PeerProcess(script: "hostile_smtp.py", arguments: ["--attack", "starttls-injection"])
        defer { peer.stop() }
        let client = try SMTPClient(configuration: .init(host: "127.0.0.1", port: peer.port, security: .starttls, username: "help",
                                                         password: "never-sent", commandTimeout: 3))
        let failure = try await #require(throws: DeliveryFailure.self) {
            try await client.send(MailMessage(from: "help@tradebridge.example", to: "buyer@example.com", subject: "s", text: "t", html: nil))
        }
        #expect(failure.reason.contains("RFC 3207"), "\(failure)")
        // What the server saw after STARTTLS: at most a TLS ClientHello, never a command in clear.
        for _ in 0..<50 where try peer.received().isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        let after = try #require(try peer.received().first)
        #expect((after["plaintext_commands"] as? [String])?.isEmpty == true)
        #expect(!((after["after_starttls"] as? String) ?? "").contains("never-sent"))
    }

    /// A CR LF in an address (one `Character` in Swift) or a second address cannot add SMTP commands or headers.
    @Test(arguments: ["buyer@example.com\r\nRCPT TO:<evil@attacker.example>", "buyer@example.com\nBcc: evil@attacker.example",
                      "buyer@example.com, evil@attacker.example", "buyer@example.com>", "no-at-sign"])
    func anAddressThatIsNotOnePlainAddressIsRefused(to: String) async throws {
        try await withSMTP([], security: .plain, host: "127.0.0.1") { h, outbox, peer, client in
            let failure = try await #require(throws: DeliveryFailure.self) {
                try await client.send(MailMessage(from: "help@tradebridge.example", to: to, subject: "s", text: "t", html: nil))
            }
            #expect(failure.kind == .permanent)
            await #expect(throws: DeliveryFailure.self) {
                try await client.send(MailMessage(from: "Help <help@tradebridge.example>\r\nBcc: evil@attacker.example", to: "buyer@example.com",
                                                  subject: "s", text: "t", html: nil))
            }
            #expect(try peer.received().isEmpty)
        }
    }

    /// A 4xx reply: the message goes back in the queue with its body (for the retry) and a backoff;
    /// one warning, no error; the flow is as it was. When its code expires first, it fails for good:
    /// body erased, one error line with the masked address.
    @Test func aTemporaryReplyQueuesARetryAndTheCodesExpiryEndsIt() async throws {
        try await withSMTP(["--rcpt-reply", "451 4.3.0 <buyer@example.com> mailbox busy"], security: .starttls) { h, outbox, peer, _ in
            let browser = try await askForCode(h)
            let flowBefore = try await h.service.flow(browser: browser)
            #expect(try await outbox.deliverPending() == 0)
            var row = try await h.outboxRow(channel: "email")
            #expect(row.state == "queued" && row.attempts == 1 && !row.body.isEmpty && row.error?.contains("451") == true)
            #expect(try await outbox.deliverPending() == 0)
            #expect(try await h.outboxRow(channel: "email").attempts == 1, "no retry before the backoff")
            #expect(try await h.service.flow(browser: browser) == flowBefore)
            #expect(h.logs.text.components(separatedBy: "warning message delivery failed, will retry").count == 2)
            #expect(!h.logs.text.contains("error ") && !h.logs.text.contains("buyer@example.com"))
            h.clock.advance(ResetPolicy.emailCodeLifetime)
            _ = try await outbox.deliverPending()
            row = try await h.outboxRow(channel: "email")
            #expect(row.state == "failed" && row.attempts == 1 && row.body.isEmpty)
            #expect(h.logs.text.components(separatedBy: "error message delivery failed for good").count == 2)
            #expect(h.logs.text.contains("b•••@example.com") && !h.logs.text.contains("buyer@example.com"))
        }
    }

    /// A 5xx reply fails the message at once: body erased, one error line, nothing else changed.
    @Test func aPermanentReplyFailsTheMessageAtOnce() async throws {
        try await withSMTP(["--rcpt-reply", "550 5.1.1 <BUYER@Example.COM>: no such user"], security: .tls) { h, outbox, peer, _ in
            let browser = try await askForCode(h)
            let flowBefore = try await h.service.flow(browser: browser)
            _ = try await outbox.deliverPending()
            let row = try await h.outboxRow(channel: "email")
            #expect(row.state == "failed" && row.attempts == 1 && row.body.isEmpty && row.error?.contains("550 5.1.1 <b•••@example.com>") == true && row.error?.lowercased().contains("buyer") == false)
            #expect(h.logs.text.components(separatedBy: "error message delivery failed for good").count == 2)
            #expect(!h.logs.text.lowercased().contains("buyer@example.com") && !h.logs.text.contains("will retry"))
            #expect(try await h.service.flow(browser: browser) == flowBefore)
            h.clock.advance(3600)
            _ = try await outbox.deliverPending()
            #expect(try await h.outboxRow(channel: "email").attempts == 1, "never sent again")
            #expect(try peer.received().isEmpty)
        }
    }

    /// A server that is down: retried with growing waits, at most five attempts, then failed for good.
    @Test func aServerThatIsDownIsRetriedWithBackoffThenFailsForGood() async throws {
        let h = try await ResetHarness.make()
        try await h.addAccounts()
        let closed = try SMTPClient(configuration: .init(host: "127.0.0.1", port: 1, security: .plain, connectTimeout: 2, commandTimeout: 2))
        let outbox = Outbox(store: h.store, delivery: EmailDelivery(transport: .smtp(closed), from: "help@tradebridge.example", html: { _ in nil }),
                            clock: { h.clock.now }, logger: h.logs.logger)
        // A notice lives a day, long enough for every attempt (a code would expire first).
        let browser = try await askForCode(h)
        _ = browser
        try await h.store.database.raw("UPDATE outbox SET expires_at = expires_at + 86400").run()
        var waits: [Int64] = []
        for attempt in 1...Outbox.maximumAttempts {
            _ = try await outbox.deliverPending()
            let row = try #require(try await h.store.database.raw("SELECT state, attempts, next_attempt_at FROM outbox WHERE channel = 'email'").first())
            #expect(try row.decode(column: "attempts", as: Int.self) == attempt)
            let state = try row.decode(column: "state", as: String.self)
            if attempt < Outbox.maximumAttempts {
                #expect(state == "queued")
                let wait = try row.decode(column: "next_attempt_at", as: Int64.self) - Int64(h.clock.now.timeIntervalSince1970)
                waits.append(wait)
                h.clock.advance(TimeInterval(wait))
            } else {
                #expect(state == "failed")
            }
        }
        // 7.5–15 s, 15–30 s, 30–60 s, 60–120 s.
        for (index, wait) in waits.enumerated() {
            let longest = Int64(Outbox.firstRetryDelay) << index
            #expect(wait >= longest / 2 && wait <= longest, "wait \(index + 1): \(wait) s")
        }
        #expect(h.logs.text.components(separatedBy: "error message delivery failed for good").count == 2)
        #expect(h.logs.text.components(separatedBy: "will retry").count == Outbox.maximumAttempts)
        await h.close()
    }

    /// Dot-stuffing (RFC 5321 §4.5.2) and quoted-printable keep every line as written, a lone "." too.
    @Test func linesStartingWithADotAndLongLinesArriveAsWritten() async throws {
        try await withSMTP([], security: .plain, host: "127.0.0.1") { h, outbox, peer, client in
            let text = ".hidden\n.\n..two\nA line of 200 characters: " + String(repeating: "äbc ", count: 44) + "end\nlast ="
            try await client.send(MailMessage(from: "help@tradebridge.example", to: "buyer@example.com", subject: String(repeating: "Ünïcödé ", count: 12), text: text, html: nil))
            let message = try #require(try peer.received().first)
            #expect(message["subject"] as? String == String(repeating: "Ünïcödé ", count: 12))
            let parts = try #require(message["parts"] as? [[String: Any]])
            #expect((parts.first?["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == text + "\n")
            #expect((message["longest_line"] as? Int ?? 999) <= 78)
        }
    }
}

/// Lines of an SMTP transcript, collected from any thread.
final class TranscriptLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var lines: [String] { lock.withLock { stored } }
    func append(_ line: String) { lock.withLock { stored.append(line) } }
}
