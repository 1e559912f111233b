import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HelpCenterDelivery
@testable import HelpCenterReset
import HelpCenterTestSupport
import Logging
import Testing

/// Issue 16: accounts the marketplace owns, through its HTTP API, against the reference
/// implementation (`Tests/peers/marketplace.py`), which checks every request's signature on its own.
@Suite(.serialized) struct AccountDirectoryTests {
    static let secret = "directory-secret-0123456789"
    static let oldPassword = "marketplace original 77"
    static var accounts: [[String: Any]] { [
        ["id": "mk-1001", "email": "Trader@Marketplace.example", "phone": "+15550100777", "name": "Trader",
         "questions": [SecurityQuestions.pool[0], SecurityQuestions.pool[3]], "answers": ["Elm Road", "Mr Diaz"], "password": oldPassword],
        ["id": "mk-1002", "email": "nophone@marketplace.example", "phone": NSNull(), "name": "No Phone", "questions": [], "answers": [],
         "password": oldPassword],
        ["id": "mk-1003", "email": "badphone@marketplace.example", "phone": "+15550100777\r\nX-Injected: 1", "name": "Bad Phone",
         "questions": [], "answers": [], "password": oldPassword],
    ] }

    /// The marketplace peer on a free port and a harness whose accounts are there only.
    func withMarketplace(auth: String = "hmac", directorySecret: String = secret,
                         _ body: (ResetHarness, PeerProcess, URL) async throws -> Void) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("accounts-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: Self.accounts).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let peer = try PeerProcess(marketplace: file, secret: Self.secret, auth: auth)
        let directory = try HTTPAccountDirectory(url: "http://127.0.0.1:\(peer.port)/", authentication: auth == "hmac"
                                                 ? .hmac(secret: directorySecret) : .bearer(token: directorySecret), timeout: 2)
        let h = try await ResetHarness.make(directory: directory)
        try await h.run(stopping: peer) { try await body(h, peer, file) }
    }

    /// What the peer recorded (`GET /_test/state`).
    func state(_ peer: PeerProcess) async throws -> [String: Any] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(peer.port)/_test/state")!)
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    func passwordMatches(_ peer: PeerProcess, id: String, _ password: String) async throws -> Bool {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(peer.port)/_test/check-password")!)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: ["id": id, "password": password])
        let (data, _) = try await URLSession.shared.data(for: request)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["match"] as? Bool == true
    }

    @Test(arguments: ["hmac", "bearer"])
    func anEmailResetSetsThePasswordInTheMarketplaceAndEndsItsSessions(auth: String) async throws {
        try await withMarketplace(auth: auth) { h, peer, _ in
            let (browser, code) = try await h.flowWithCode("trader@marketplace.example")
            let message = try #require(await h.inbox.messages.last)
            #expect(message.to == "Trader@Marketplace.example", "sent to the address on file")
            #expect(try await h.service.verifyCode(try #require(code), browser: browser) == .verified)
            let password = "a brand new marketplace passphrase"
            #expect(try await h.service.setPassword(password, confirmation: password, browser: browser) == .passwordChanged)
            let recorded = try await state(peer)
            #expect((recorded["password_changes"] as? [String: Int])?["mk-1001"] == 1)
            #expect((recorded["sessions"] as? [String: Int])?["mk-1001"] == 0)
            #expect((recorded["sessions"] as? [String: Int])?["mk-1002"] == 2)
            #expect((recorded["requests"] as? [String])?.suffix(3) == ["DELETE /accounts/{id}/sessions", "PUT /accounts/{id}/password", "DELETE /accounts/{id}/sessions"])
            #expect(recorded["refused"] as? Int == 0)
            #expect(try await passwordMatches(peer, id: "mk-1001", password))
            #expect(try await !passwordMatches(peer, id: "mk-1001", Self.oldPassword))
            #expect(try await h.service.flow(browser: browser)?.step == .done)
            _ = try await h.deliver()
            let notices = await h.inbox.messages.filter { $0.subject.contains("password was changed") || $0.body.contains("password was changed") }
            #expect(notices.map(\.to).sorted() == ["+15550100777", "Trader@Marketplace.example"])
        }
    }

    @Test func theQuestionsAreTheMarketplacesAndItChecksTheAnswers() async throws {
        try await withMarketplace { h, peer, _ in
            let browser = try await h.start("trader@marketplace.example")
            #expect(try await h.service.choose(.questions, browser: browser, client: "192.0.2.1") == .questions)
            #expect(try await h.service.flow(browser: browser)?.questions == [SecurityQuestions.pool[0], SecurityQuestions.pool[3]])
            #expect(try await h.service.answer(["elm road", "Mr Díaz"], browser: browser) == .wrongAnswers(attemptsLeft: 2))
            #expect(try await h.service.answer(["  ELM road ", "Mr Diaz"], browser: browser) == .verified)
            #expect(try await h.service.flow(browser: browser)?.step == .verified)
            #expect((try await state(peer)["requests"] as? [String])?.filter { $0 == "POST /accounts/{id}/answers/verify" }.count == 2)
        }
    }

    /// A known and an unknown address make the same calls, in the same order, at every step.
    @Test func knownAndUnknownAddressesMakeTheSameCalls() async throws {
        try await withMarketplace { h, peer, _ in
            var routes: [[String]] = []
            for email in ["trader@marketplace.example", "stranger@marketplace.example"] {
                let before = (try await state(peer)["requests"] as? [String])?.count ?? 0
                let browser = try await h.start(email)
                _ = try await h.service.flow(browser: browser)
                _ = try await h.service.choose(.questions, browser: browser, client: "192.0.2.1")
                _ = try await h.service.answer(["wrong", "answers"], browser: browser)
                routes.append(Array(((try await state(peer)["requests"] as? [String]) ?? []).dropFirst(before)))
            }
            #expect(routes[0] == routes[1])
            #expect(routes[0].contains("POST /accounts/{id}/answers/verify"))
        }
    }

    /// A wrong secret is refused by the peer (401): the step fails as "unavailable", and the peer
    /// changed nothing.
    @Test func aRequestThatIsNotSignedRightIsRefusedByThePeer() async throws {
        try await withMarketplace(directorySecret: "not the secret") { h, peer, _ in
            let browser = h.service.newBrowserToken()
            let proof = try await h.proof()
            await #expect(throws: AccountDirectoryUnavailable.self) {
                _ = try await h.service.start(browser: browser, email: "trader@marketplace.example", proofOfWork: proof, client: "192.0.2.1")
            }
            #expect(try await state(peer)["refused"] as? Int == 1)
            #expect(try await h.service.flow(browser: browser) == nil)
        }
    }

    /// The directory goes down between verification and the new password: the step fails, the flow
    /// stays verified (nothing changed), and once the directory is back the same flow sets it.
    @Test func aDirectoryThatIsDownChangesNothingAndTheFlowCanGoOn() async throws {
        try await withMarketplace { h, peer, accounts in
            let (browser, code) = try await h.flowWithCode("trader@marketplace.example")
            #expect(try await h.service.verifyCode(try #require(code), browser: browser) == .verified)
            peer.stop()
            let password = "another marketplace passphrase"
            let failure = try await #require(throws: AccountDirectoryUnavailable.self) {
                _ = try await h.service.setPassword(password, confirmation: password, browser: browser)
            }
            #expect(!failure.description.contains("trader") && !failure.description.contains(password))
            #expect(try await h.store.flow(id: RandomToken.digest(browser))?.state == "verified")
            let back = try PeerProcess(marketplace: accounts, secret: Self.secret, port: peer.port)
            defer { back.stop() }
            #expect(try await h.service.setPassword(password, confirmation: password, browser: browser) == .passwordChanged)
            #expect(try await passwordMatches(back, id: "mk-1001", password))
        }
    }

    /// An account whose phone (or address, or id) could carry a header or a log line is refused as
    /// an answer of the directory, not used.
    @Test func anAccountWithAnUnsafeFieldIsRefused() async throws {
        try await withMarketplace { h, peer, _ in
            let browser = h.service.newBrowserToken()
            let proof = try await h.proof()
            let failure = try await #require(throws: AccountDirectoryUnavailable.self) {
                _ = try await h.service.start(browser: browser, email: "badphone@marketplace.example", proofOfWork: proof, client: "192.0.2.1")
            }
            #expect(failure.reason.contains("E.164"))
        }
    }

    /// Outages at each step change nothing that counts against the buyer: a code step keeps its sends,
    /// an answer check gives its attempt back, and an account gone before the new password ends the
    /// flow without saying the password changed.
    @Test func anOutageCostsTheBuyerNothing() async throws {
        try await withMarketplace { h, peer, accounts in
            // Choosing email while the directory is down: no send taken.
            let browser = try await h.start("trader@marketplace.example")
            peer.stop()
            await #expect(throws: AccountDirectoryUnavailable.self) { _ = try await h.service.choose(.email, browser: browser, client: "192.0.2.1") }
            let back = try PeerProcess(marketplace: accounts, secret: Self.secret, port: peer.port)
            defer { back.stop() }
            #expect(try await h.service.sendCode(browser: browser, client: "192.0.2.1") == .codeSent, "no send was spent by the outage")
            // Answers while the directory fails: the attempt is given back.
            let questions = try await h.start("trader@marketplace.example", client: "192.0.2.2")
            #expect(try await h.service.choose(.questions, browser: questions, client: "192.0.2.2") == .questions)
            back.stop()
            for _ in 0..<3 {
                await #expect(throws: AccountDirectoryUnavailable.self) { _ = try await h.service.answer(["x", "y"], browser: questions) }
            }
            let again = try PeerProcess(marketplace: accounts, secret: Self.secret, port: peer.port)
            defer { again.stop() }
            #expect(try await h.service.answer(["x", "y"], browser: questions) == .wrongAnswers(attemptsLeft: 2))
            #expect(try await h.service.answer(["Elm Road", "Mr Diaz"], browser: questions) == .verified)
            // The account leaves the marketplace before the new password: the flow ends, nothing claims success.
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(peer.port)/_test/delete-account")!)
            request.httpMethod = "POST"
            request.httpBody = Data(#"{"id": "mk-1001"}"#.utf8)
            _ = try await URLSession.shared.data(for: request)
            let password = "a passphrase for nobody at all"
            #expect(try await h.service.setPassword(password, confirmation: password, browser: questions) == .ended)
            #expect((try await state(again)["password_changes"] as? [String: Int])?.isEmpty == true)
        }
    }

    @Test func theDirectoryURLMustBeHTTPSExceptToLoopback() throws {
        #expect(throws: AccountDirectoryUnavailable.self) { try HTTPAccountDirectory(url: "http://marketplace.example/api", authentication: .bearer(token: "t")) }
        _ = try HTTPAccountDirectory(url: "https://marketplace.example/api", authentication: .bearer(token: "t"))
    }
}
