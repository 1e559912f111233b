import Foundation
import HelpCenterContent
import HelpCenterFeedback
import HelpCenterReset
@testable import HelpCenterServer
import HelpCenterSite
import HelpCenterTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SQLiteKit

/// The sample content built into a temporary site, served by ``HelpCenterServer`` with a real SQLite
/// file, captured deliveries and cheap hashing and proof-of-work parameters.
struct ServerHarness {
    let folder: URL
    let database: ResetDatabase
    let server: HelpCenterServer
    let service: ResetService
    let outbox: Outbox
    let inbox: CapturedDelivery
    let clock: ManualClock
    let feedback: FeedbackStore

    static let password = "original harbour lantern 1"

    /// The sample site, built once for all tests.
    static let site: URL = {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("server-site-\(UUID().uuidString)")
        let tree = try! ContentTree.load(from: TemporaryContent.repositoryRoot().appendingPathComponent("Content").path)
        _ = try! SiteBuilder(tree: tree, theme: try! Theme.load(for: tree)).build(into: site)
        return site
    }()

    /// - Parameters:
    ///   - site: the built site to serve (default: the sample's, ``site``).
    ///   - live: live reload, as `serve --watch` has it.
    ///   - directory: the accounts (default: the built-in tables, with buyer@example.com).
    static func make(demoInbox: Bool = true, secureCookies: Bool = false, site: URL = ServerHarness.site,
                     live: LiveReload? = nil, directory: (any AccountDirectory)? = nil) async throws -> ServerHarness {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        // The database as `serve` opens it: its own threads, busy timeout, write-ahead log.
        let database = try await ResetDatabase.open(path: folder.appendingPathComponent("db.sqlite").path, logger: quiet)
        let store = database.store
        let secrets = try ResetSecrets.loadOrCreate(at: folder.appendingPathComponent("db.secret").path)
        let clock = ManualClock()
        let hasher = PasswordHasher(memoryKiB: 64, iterations: 1)
        let service = ResetService(
            store: store, directory: directory, secrets: secrets, hasher: hasher, policy: PasswordPolicy(),
            site: .init(name: "TradeBridge", baseURL: "https://help.tradebridge.example", supportContact: "support@tradebridge.example"),
            proofOfWork: ProofOfWork(signatureSecret: secrets.proofOfWorkSignature, keySignatureSecret: secrets.proofOfWorkKeySignature, cost: 1, counters: 0...3),
            clock: { clock.now }, logger: quiet)
        let accounts = AccountStore(store: store, hasher: hasher, clock: { clock.now })
        try await accounts.add(.init(email: "buyer@example.com", name: "Buyer", phone: "+15550100123", password: password,
                                     questions: [SecurityQuestions.pool[0], SecurityQuestions.pool[3]], answers: ["Linden Street", "Mrs Okafor"]))
        let inbox = CapturedDelivery()
        let feedback = database.feedback
        let server = try HelpCenterServer(
            configuration: .init(siteFolder: site.path, siteTitle: "TradeBridge Help Center", supportEmail: "support@tradebridge.example",
                                 secureCookies: secureCookies),
            service: service, inbox: demoInbox ? inbox : nil, feedback: feedback, live: live)
        return ServerHarness(folder: folder, database: database, server: server, service: service,
                             outbox: Outbox(store: store, delivery: inbox, clock: { clock.now }, logger: quiet), inbox: inbox, clock: clock,
                             feedback: feedback)
    }

    /// Builds `files`, lets `prepare` change the built site, and serves it in process.
    static func withSite(_ files: [String: String], prepare: (URL) throws -> Void = { _ in }, _ body: @escaping @Sendable (TestBrowser, URL) async throws -> Void) async throws {
        let folder = try TemporaryContent(files)
        defer { folder.remove() }
        let tree = try ContentTree.load(from: folder.content.path)
        _ = try SiteBuilder(tree: tree, theme: try Theme.load(for: tree)).build(into: folder.site)
        try prepare(folder.site)
        let site = folder.site
        let harness = try await ServerHarness.make(site: site)
        do {
            try await harness.application.test(.router) { client in try await body(TestBrowser(client), site) }
        } catch {
            await harness.close()
            throw error
        }
        await harness.close()
    }

    func close() async {
        try? await database.close()
        try? FileManager.default.removeItem(at: folder)
    }

    var application: some ApplicationProtocol { Application(router: server.router()) }

    /// A solved human check.
    func proof() async throws -> String { try ProofOfWork.solve(try await service.challenge(client: "test")!) }
}

/// A browser for tests: keeps cookies, reads the CSRF token of the last page, posts forms.
final class TestBrowser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var csrf = ""
    var lastBody = ""

    init(_ client: any TestClientProtocol) { self.client = client }

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse {
        try record(try await client.execute(uri: uri, method: .get, headers: headers()))
    }

    /// Posts `fields` (with the page's CSRF token unless `csrf` is given) as a form.
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)], csrf: String? = nil, extraHeaders: HTTPFields = [:]) async throws -> TestResponse {
        let all = [("csrf", csrf ?? self.csrf)] + fields
        return try await postRaw(uri, all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&"), extraHeaders: extraHeaders)
    }

    @discardableResult
    func postRaw(_ uri: String, _ body: String, extraHeaders: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers()
        headers[.contentType] = "application/x-www-form-urlencoded"
        headers.append(contentsOf: extraHeaders)
        return try record(try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)))
    }

    /// Follows a 303 from a POST with a GET, as a browser does.
    @discardableResult
    func follow(_ response: TestResponse) async throws -> TestResponse {
        guard response.status == .seeOther, let location = response.headers[.location] else { return response }
        return try await get(location)
    }

    func headers() -> HTTPFields {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        return headers
    }

    func record(_ response: TestResponse) throws -> TestResponse {
        for field in response.headers[values: .setCookie] {
            let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty { cookies[name] = nil } else { cookies[name] = value }
        }
        lastBody = String(buffer: response.body)
        if let match = lastBody.firstMatch(of: /name="csrf" value="([^"]+)"/) { csrf = String(match.1) }
        return response
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))!
    }
}
