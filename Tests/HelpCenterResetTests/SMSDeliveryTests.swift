import Foundation
import HelpCenterDelivery
@testable import HelpCenterReset
import HelpCenterTestSupport
import Logging
import Testing

/// Issue 16: text messages through an HTTP gateway, to a local receiver (`Tests/peers/sms_receiver.py`)
/// that checks Twilio-style Basic authentication or the webhook's HMAC signature on its own.
@Suite(.serialized) struct SMSDeliveryTests {
    static let secret = "gateway-sëcret-0123456789"

    func withGateway(_ style: String, reply: String = "201", timeout: Double = 5,
                     _ body: (ResetHarness, Outbox, PeerProcess) async throws -> Void) async throws {
        let peer = try PeerProcess(script: "sms_receiver.py", arguments: ["--style", style, "--secret", Self.secret, "--account", "AC42", "--reply", reply])
        let h = try await ResetHarness.make()
        try await h.run(stopping: peer) {
            try await h.addAccounts()
            let base = "http://127.0.0.1:\(peer.port)"
            let gateway = style == "twilio"
                ? try SMSGateway(style: .twilio(accountID: "AC42", authToken: Self.secret, from: "+15550100999"), url: base, timeout: timeout)
                : try SMSGateway(style: .webhook(secret: Self.secret), url: base + "/sms", timeout: timeout)
            let outbox = Outbox(store: h.store, delivery: ChannelRouter(email: h.inbox, sms: SMSDelivery(gateway: gateway)),
                                clock: { h.clock.now }, logger: h.logs.logger)
            try await body(h, outbox, peer)
        }
    }

    /// Asks for a code by SMS for buyer@example.com (phone +15550100123); returns the browser token.
    func askForCode(_ h: ResetHarness) async throws -> String {
        let browser = try await h.start("buyer@example.com")
        #expect(try await h.service.choose(.phone, browser: browser, client: "192.0.2.1") == .codeSent)
        return browser
    }

    @Test func twilioStyleSendsTheCodeWithBasicAuthentication() async throws {
        try await withGateway("twilio") { h, outbox, peer in
            let browser = try await askForCode(h)
            #expect(try await outbox.deliverPending() == 1)
            let request = try #require(try peer.received().first)
            #expect(request["auth_ok"] as? Bool == true && request["path_ok"] as? Bool == true)
            let fields = try #require(request["fields"] as? [String: String])
            #expect(fields["To"] == "+15550100123" && fields["From"] == "+15550100999")
            let code = try #require(fields["Body"]?.firstMatch(of: /\b(\d{6})\b/).map { String($0.1) })
            #expect(try await h.service.verifyCode(code, browser: browser) == .verified)
            #expect(try await h.outboxRow(channel: "sms").state == "sent")
        }
    }

    @Test func theWebhookIsSignedOverTimestampAndBody() async throws {
        try await withGateway("webhook") { h, outbox, peer in
            let browser = try await askForCode(h)
            #expect(try await outbox.deliverPending() == 1)
            let request = try #require(try peer.received().first)
            #expect(request["signature_ok"] as? Bool == true && request["timestamp_ok"] as? Bool == true)
            let fields = try #require(request["fields"] as? [String: String])
            let id = try #require(try await h.store.database.raw("SELECT id FROM outbox WHERE channel = 'sms'").first()?.decode(column: "id", as: String.self))
            #expect(fields["to"] == "+15550100123" && fields["id"] == id)
            let code = try #require(fields["text"]?.firstMatch(of: /\b(\d{6})\b/).map { String($0.1) })
            #expect(try await h.service.verifyCode(code, browser: browser) == .verified)
        }
        // The same request signed with another secret does not verify at the receiver.
        #expect(SMSGateway.signature(secret: "other", timestamp: "1", body: "{}") != SMSGateway.signature(secret: Self.secret, timestamp: "1", body: "{}"))
    }

    /// 429 and 500 are temporary (queued again, body kept for the retry); a gateway that hangs times
    /// out and is temporary too; 400 is permanent (failed at once, body erased, one error line).
    @Test(arguments: [("429", "queued"), ("500", "queued"), ("hang", "queued"), ("400", "failed")])
    func gatewayAnswersGiveTheRetryOrTheFinalFailure(reply: String, state: String) async throws {
        try await withGateway("webhook", reply: reply, timeout: 1) { h, outbox, peer in
            let browser = try await askForCode(h)
            let flowBefore = try await h.service.flow(browser: browser)
            #expect(try await outbox.deliverPending() == 0)
            let row = try await h.outboxRow(channel: "sms")
            #expect(row.state == state && row.attempts == 1)
            #expect(row.body.isEmpty == (state == "failed"))
            #expect(row.error?.contains(reply == "hang" ? "timed out" : reply) == true, "\(row.error ?? "")")
            #expect(try peer.received().count == 1)
            #expect(try await h.service.flow(browser: browser) == flowBefore)
            let errors = h.logs.text.components(separatedBy: "error message delivery failed for good").count - 1
            #expect(errors == (state == "failed" ? 1 : 0))
            #expect(!h.logs.text.contains("+15550100123") && !h.logs.text.contains(Self.secret))
        }
    }

    /// A redirect is not followed (it carried the code to another place), and a gateway that drips
    /// its answer is cut at the timeout, body included.
    @Test(arguments: [("307", "redirect"), ("drip", "timed out")])
    func aRedirectIsNotFollowedAndASlowAnswerIsCutAtTheTimeout(reply: String, reason: String) async throws {
        try await withGateway("twilio", reply: reply, timeout: 1) { h, outbox, peer in
            _ = try await askForCode(h)
            let start = ContinuousClock.now
            #expect(try await outbox.deliverPending() == 0)
            #expect(ContinuousClock.now - start < .seconds(4), "cut at the 1 s timeout")
            let row = try await h.outboxRow(channel: "sms")
            #expect(row.error?.contains(reason) == true, "\(row.error ?? "")")
            #expect(try peer.received().count == 1, "the redirect was not followed")
        }
    }

    @Test func aGatewayURLMustBeHTTPSExceptToLoopback() throws {
        #expect(throws: DeliveryFailure.self) { try SMSGateway(style: .webhook(secret: "s"), url: "http://sms.example.com/send") }
        #expect(throws: DeliveryFailure.self) { try SMSGateway(style: .webhook(secret: "s"), url: "http://127.0.0.1.evil.example/send") }
        _ = try SMSGateway(style: .webhook(secret: "s"), url: "https://sms.example.com/send")
        _ = try SMSGateway(style: .webhook(secret: "s"), url: "http://127.0.0.1:9/send")
    }
}
