import AsyncHTTPClient
import Foundation
import HelpCenterReset
import NIOCore
import NIOHTTP1

/// The marketplace's own accounts, behind the HTTP API in `docs/account-directory.openapi.yaml`
/// (OpenAPI 3.1), called through async-http-client:
///
/// | call | request | answer |
/// | --- | --- | --- |
/// | look up by address | `GET /accounts?email=…` | 200 account, 404 none |
/// | look up by id | `GET /accounts/{id}` | 200 account, 404 none |
/// | check answers | `POST /accounts/{id}/answers/verify` `{"answers": […]}` | 200 `{"match": bool}`, 404 none |
/// | end sessions, set the password, end sessions | `DELETE /accounts/{id}/sessions`, `PUT /accounts/{id}/password` `{"password": "…"}`, `DELETE …/sessions` | 204 each |
///
/// An account is `{"id", "email", "phone" (E.164 or null), "name", "questions": [two texts] or []}`.
/// Every request carries `X-HelpCenter-Timestamp`, `X-HelpCenter-Nonce` (random, per request) and
/// `X-HelpCenter-Signature: v1=<hex>`, HMAC-SHA256 of `timestamp + "." + nonce + "." + METHOD + " " +
/// path-and-query + "." + body` with the shared secret (the peer accepts a timestamp within 5
/// minutes and each nonce once, so a signature is good for one call), or `Authorization: Bearer <token>`. The URL must be https, except to a loopback host: answers and passwords go in it.
/// Any other answer, a timeout or a peer that cannot be reached throws ``AccountDirectoryUnavailable``
/// (the buyer gets a calm "try again" page, the operator an error line).
public struct HTTPAccountDirectory: AccountDirectory {
    public enum Authentication: Sendable {
        case hmac(secret: String)
        case bearer(token: String)
    }

    /// The API's base URL, without a trailing slash.
    public let url: String
    let authentication: Authentication
    /// Seconds per request.
    public let timeout: Double
    let host: String
    let basePath: String

    /// - Throws: ``AccountDirectoryUnavailable`` when `url` is not https and its host is not loopback.
    public init(url: String, authentication: Authentication, timeout: Double = 5) throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host,
              scheme == "https" || (scheme == "http" && SMTPClient.isLoopback(host)) else {
            throw AccountDirectoryUnavailable("its URL must be https (http only to a loopback host), not \(url.debugDescription)")
        }
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.authentication = authentication
        self.timeout = timeout
        self.host = host
        let path = parsed.path
        self.basePath = path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    struct AccountBody: Decodable {
        var id: String
        var email: String
        var phone: String?
        var name: String
        var questions: [String]
    }

    public func account(email: String) async throws -> Account? {
        try await account(at: "/accounts?email=" + Self.queryEncoded(Account.normalizedEmail(email)))
    }

    public func account(id: String) async throws -> Account? {
        try await account(at: "/accounts/" + Self.segment(id))
    }

    func account(at target: String) async throws -> Account? {
        guard let data = try await call(.GET, target) else { return nil }
        guard let body = try? JSONDecoder().decode(AccountBody.self, from: data),
              body.questions.isEmpty || body.questions.count == SecurityQuestions.count else {
            throw AccountDirectoryUnavailable("\(host) answered an account lookup with a body that is not an account")
        }
        // What goes into a message's envelope, a log line or a later URL is checked here, once.
        let printable = { (text: String) in !text.unicodeScalars.contains { $0.properties.generalCategory == .control } }
        guard !body.id.isEmpty, body.id.utf8.count <= 256, printable(body.id) else {
            throw AccountDirectoryUnavailable("\(host) answered an account whose id is empty, over 256 bytes or holds a control character")
        }
        guard Account.isPlausibleEmail(body.email), printable(body.email), !body.email.contains(where: { "<>,;()\"\\[]".contains($0) }) else {
            throw AccountDirectoryUnavailable("\(host) answered an account whose email is not one plain address")
        }
        guard body.phone.map({ $0.wholeMatch(of: /\+[1-9][0-9]{6,14}/) != nil }) ?? true else {
            throw AccountDirectoryUnavailable("\(host) answered an account whose phone is not in E.164 form (+ and 7 to 15 digits)")
        }
        guard printable(body.name), body.questions.allSatisfy({ printable($0) && $0.count <= 300 }) else {
            throw AccountDirectoryUnavailable("\(host) answered an account whose name or questions hold control characters")
        }
        return Account(id: body.id, email: body.email, phone: body.phone, name: body.name, questions: body.questions)
    }

    public func verifyAnswers(accountID: String, answers: [String]) async throws -> Bool {
        struct Match: Decodable { var match: Bool }
        guard let data = try await call(.POST, "/accounts/\(Self.segment(accountID))/answers/verify", body: ["answers": answers]) else { return false }
        guard let match = try? JSONDecoder().decode(Match.self, from: data) else {
            throw AccountDirectoryUnavailable("\(host) answered an answer check with a body that is not {\"match\": true|false}")
        }
        return match.match
    }

    /// Ends the account's sessions, sets the password, and ends the sessions again (one opened with
    /// the old password in between ends too): a failure leaves at worst the sessions ended.
    public func setPassword(accountID: String, password: String) async throws {
        let id = Self.segment(accountID)
        guard try await call(.DELETE, "/accounts/\(id)/sessions") != nil,
              try await call(.PUT, "/accounts/\(id)/password", body: ["password": password]) != nil,
              try await call(.DELETE, "/accounts/\(id)/sessions") != nil else {
            throw AccountDirectoryUnavailable("\(host) no longer knows the account whose password was being set")
        }
    }

    /// One request; the body of a 2xx answer, nil for 404.
    /// - Throws: ``AccountDirectoryUnavailable`` for any other answer, a timeout or no connection.
    func call(_ method: HTTPMethod, _ target: String, body: [String: any Encodable & Sendable]? = nil) async throws -> Data? {
        var request = HTTPClientRequest(url: url + target)
        request.method = method
        let bytes = try body.map { try JSONSerialization.data(withJSONObject: $0.mapValues { $0 as Any }, options: [.sortedKeys, .withoutEscapingSlashes]) } ?? Data()
        if body != nil {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "helpcenter")
        switch authentication {
        case .bearer(let token):
            request.headers.add(name: "Authorization", value: "Bearer " + token)
        case .hmac(let secret):
            let timestamp = String(Int64(Date().timeIntervalSince1970))
            let nonce = UUID().uuidString.lowercased()
            let message = timestamp + "." + nonce + "." + method.rawValue + " " + basePath + target + "." + String(decoding: bytes, as: UTF8.self)
            request.headers.add(name: RequestSignature.timestampHeader, value: timestamp)
            request.headers.add(name: RequestSignature.nonceHeader, value: nonce)
            request.headers.add(name: RequestSignature.signatureHeader, value: "v1=" + RequestSignature.hex(secret: secret, message: message))
        }
        let response: (status: Int, body: Data)
        do {
            response = try await PeerHTTP.fetch(request, timeout: timeout)
        } catch {
            throw AccountDirectoryUnavailable("\(host) did not answer \(method.rawValue) \(Self.route(target)): \(PeerHTTP.explain(error))")
        }
        switch response.status {
        case 200..<300: return response.body
        case 404: return nil
        case 401, 403:
            throw AccountDirectoryUnavailable("\(host) refused \(method.rawValue) \(Self.route(target)) with \(response.status): check directory.secret (or token) against the marketplace's, and this machine's clock")
        case 300..<400:
            throw AccountDirectoryUnavailable("\(host) answered \(method.rawValue) \(Self.route(target)) with \(response.status), a redirect, which is not followed: set directory.url to where it points")
        default: throw AccountDirectoryUnavailable("\(host) answered \(method.rawValue) \(Self.route(target)) with \(response.status)")
        }
    }

    /// The route of `target` without its values (no address or id in a log line).
    static func route(_ target: String) -> String {
        let path = target.prefix { $0 != "?" }
        let parts = path.split(separator: "/").enumerated().map { $0.offset == 1 ? "{id}" : String($0.element) }
        return "/" + parts.joined(separator: "/") + (target.contains("?") ? "?email=…" : "")
    }

    /// Percent-encoding for a query value: unreserved characters as they are.
    static func queryEncoded(_ value: String) -> String {
        SMSGateway.formEncoded(value)
    }

    /// Percent-encoding for a path segment; `.` and `..` encoded too, so that no proxy reads them as dot segments.
    static func segment(_ value: String) -> String {
        value == "." || value == ".." ? value.replacingOccurrences(of: ".", with: "%2E") : queryEncoded(value)
    }
}
