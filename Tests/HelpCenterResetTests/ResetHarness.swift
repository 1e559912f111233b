import Foundation
@testable import HelpCenterReset
import HelpCenterTestSupport
import Logging
import SQLiteKit
import Testing

/// A reset service over a real SQLite file in a temporary folder, with an injected clock, captured
/// deliveries, cheap Argon2 and proof-of-work parameters (the rules do not depend on them) and captured logs.
struct ResetHarness {
    let folder: URL
    let connection: SQLiteConnection
    let store: ResetStore
    let service: ResetService
    let accounts: AccountStore
    let outbox: Outbox
    let inbox: CapturedDelivery
    let clock: ManualClock
    let logs: LogCapture

    static let password = "original harbour lantern 1"
    static let questions = [SecurityQuestions.pool[0], SecurityQuestions.pool[3]]
    static let answers = ["Linden Street", "Mrs Okafor"]

    static func make(siteName: String = "TradeBridge", baseURL: String = "https://help.tradebridge.example",
                     directory: (any AccountDirectory)? = nil) async throws -> ResetHarness {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let logs = LogCapture()
        let logger = logs.logger
        let connection = try await SQLiteConnection.open(storage: .file(path: folder.appendingPathComponent("test.sqlite").path),
                                                         logger: Logger(label: "sqlite") { _ in SwiftLogNoOpLogHandler() })
        let store = ResetStore(database: connection.sql(queryLogLevel: nil))
        try await store.migrate()
        let secrets = try ResetSecrets.loadOrCreate(at: folder.appendingPathComponent("test.secret").path)
        let clock = ManualClock()
        let hasher = PasswordHasher(memoryKiB: 64, iterations: 1)
        let proofOfWork = ProofOfWork(signatureSecret: secrets.proofOfWorkSignature, keySignatureSecret: secrets.proofOfWorkKeySignature,
                                      cost: 1, counters: 0...3)
        let service = ResetService(store: store, directory: directory, secrets: secrets, hasher: hasher, policy: PasswordPolicy(),
                                   site: .init(name: siteName, baseURL: baseURL, supportContact: "support@tradebridge.example"),
                                   proofOfWork: proofOfWork, clock: { clock.now }, logger: logger)
        let inbox = CapturedDelivery()
        let accounts = AccountStore(store: store, hasher: hasher, clock: { clock.now })
        return ResetHarness(folder: folder, connection: connection, store: store, service: service, accounts: accounts,
                            outbox: Outbox(store: store, delivery: inbox, clock: { clock.now }, logger: logger), inbox: inbox, clock: clock, logs: logs)
    }

    /// The outbox row of `channel` (the flow's one message there): state, attempts, body, last error.
    func outboxRow(channel: String) async throws -> (state: String, attempts: Int, body: String, error: String?) {
        let row = try #require(try await store.database.raw("SELECT state, attempts, body, last_error FROM outbox WHERE channel = \(bind: channel)").first())
        return (try row.decode(column: "state", as: String.self), try row.decode(column: "attempts", as: Int.self),
                try row.decode(column: "body", as: String.self), try row.decode(column: "last_error", as: String?.self))
    }

    /// Runs `body`, then closes this harness and stops `peer`, also when `body` throws.
    func run(stopping peer: PeerProcess, _ body: () async throws -> Void) async throws {
        do { try await body() } catch {
            await close()
            peer.stop()
            throw error
        }
        await close()
        peer.stop()
    }

    func close() async {
        try? await connection.close()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Adds buyer@example.com (phone and questions) and plain@example.com (email only).
    func addAccounts() async throws {
        try await accounts.add(.init(email: "buyer@example.com", name: "Buyer", phone: "+15550100123", password: Self.password,
                                     questions: Self.questions, answers: Self.answers))
        try await accounts.add(.init(email: "plain@example.com", name: "Plain", password: Self.password))
    }

    /// A solved human check for the reset form.
    func proof() async throws -> String { try ProofOfWork.solve(try await service.challenge(client: "test")!) }

    /// Starts a flow for `email` from a new browser; returns the browser token.
    func start(_ email: String, client: String = "192.0.2.1") async throws -> String {
        let browser = service.newBrowserToken()
        let outcome = try await service.start(browser: browser, email: email, proofOfWork: try await proof(), client: client)
        precondition(outcome == .started, "start: \(outcome)")
        return browser
    }

    /// Delivers the outbox and returns the messages delivered by this call.
    func deliver() async throws -> [Message] {
        let before = await inbox.messages.count
        try await outbox.deliverPending()
        return Array(await inbox.messages.dropFirst(before))
    }

    /// The six-digit code in a message.
    static func code(in message: Message) -> String? {
        message.body.firstMatch(of: /\b(\d{6})\b/).map { String($0.1) }
    }

    /// Sends a code by `method` in a new flow for `email` and returns (browser, code delivered or nil).
    func flowWithCode(_ email: String, method: VerificationMethod = .email) async throws -> (browser: String, code: String?) {
        let browser = try await start(email)
        _ = try await service.choose(method, browser: browser, client: "192.0.2.1")
        let code = try await deliver().compactMap(Self.code(in:)).last
        return (browser, code)
    }
}
