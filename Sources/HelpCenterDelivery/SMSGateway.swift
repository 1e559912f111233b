import AsyncHTTPClient
import Foundation
import HelpCenterReset
import NIOCore
import NIOHTTP1

/// Sends text messages through an HTTP gateway (async-http-client), in one of two styles:
///
/// - **Twilio-compatible** "create message": `POST {url}/2010-04-01/Accounts/{account}/Messages.json`,
///   a form (`application/x-www-form-urlencoded`) with `To`, `From` and `Body`, HTTP Basic
///   authentication with the account id and its auth token (Twilio's REST API; other gateways that
///   copy it take the same call).
/// - **Signed JSON webhook**: `POST {url}` with `{"id": …, "to": "+E.164", "text": …}` and two headers,
///   `X-HelpCenter-Timestamp` (Unix seconds) and `X-HelpCenter-Signature: v1=<hex>`, where `<hex>` is
///   HMAC-SHA256 (RFC 2104) keyed with the shared secret's UTF-8 bytes over `timestamp + "." + body`
///   (the body's exact bytes). A receiver recomputes it, compares in constant time, and refuses a
///   timestamp more than 5 minutes from its clock (a replayed request).
///
/// A 2xx answer is success; 429, 5xx, a timeout or a gateway that cannot be reached are temporary
/// failures (the outbox tries again); any other 4xx, and a 3xx (redirects are not followed), is permanent. The URL must be https, except to a
/// loopback host. Credentials never appear in an error.
public struct SMSGateway: Sendable {
    public enum Style: Sendable {
        case twilio(accountID: String, authToken: String, from: String)
        case webhook(secret: String)
    }

    public let style: Style
    /// The gateway's base URL (Twilio style: `https://api.twilio.com`) or the webhook's URL.
    public let url: String
    /// Seconds for the whole request.
    public let timeout: Double

    /// - Throws: ``DeliveryFailure`` (permanent) when `url` is not https and its host is not loopback.
    public init(style: Style, url: String, timeout: Double = 10) throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host,
              scheme == "https" || (scheme == "http" && SMTPClient.isLoopback(host)) else {
            throw DeliveryFailure(.permanent, "the SMS gateway URL must be https (http only to a loopback host), not \(url.debugDescription)")
        }
        self.style = style
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.timeout = timeout
    }

    /// Sends `text` to `phone` (E.164); `id` is the outbox message's id (the webhook's idempotency key).
    /// - Throws: ``DeliveryFailure``.
    public func send(id: String, to phone: String, text: String, now: Date = Date()) async throws {
        var request: HTTPClientRequest
        let body: String
        switch style {
        case .twilio(let accountID, let authToken, let from):
            request = HTTPClientRequest(url: "\(url)/2010-04-01/Accounts/\(Self.formEncoded(accountID))/Messages.json")
            body = [("To", phone), ("From", from), ("Body", text)].map { "\($0)=\(Self.formEncoded($1))" }.joined(separator: "&")
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(accountID):\(authToken)".utf8).base64EncodedString())
        case .webhook(let secret):
            request = HTTPClientRequest(url: url)
            body = String(decoding: (try? Self.json.encode(WebhookBody(id: id, to: phone, text: text))) ?? Data(), as: UTF8.self)
            let timestamp = String(Int64(now.timeIntervalSince1970))
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: RequestSignature.timestampHeader, value: timestamp)
            request.headers.add(name: RequestSignature.signatureHeader, value: "v1=" + Self.signature(secret: secret, timestamp: timestamp, body: body))
        }
        request.method = .POST
        request.headers.add(name: "User-Agent", value: "helpcenter")
        request.body = .bytes(ByteBuffer(string: body))
        let status: Int
        let answer: String
        do {
            let response = try await PeerHTTP.fetch(request, timeout: timeout)
            status = response.status
            // The gateway's words, without runs of digits: an echo of the message would put its code in a log line.
            answer = String(String(decoding: response.body.prefix(300), as: UTF8.self).filter { !$0.isNewline })
                .replacing(/[0-9]{4,}/, with: "…")
        } catch {
            throw DeliveryFailure(.temporary, "the SMS gateway at \(host) did not answer: \(PeerHTTP.explain(error))")
        }
        switch status {
        case 200..<300: return
        case 429, 500...: throw DeliveryFailure(.temporary, "the SMS gateway answered \(status): \(answer)")
        case 300..<400: throw DeliveryFailure(.permanent, "the SMS gateway answered \(status), a redirect, which is not followed: set sms.url to where it points")
        default: throw DeliveryFailure(.permanent, "the SMS gateway refused the message with \(status): \(answer)")
        }
    }

    var host: String { URL(string: url)?.host ?? url }

    /// The webhook's body.
    struct WebhookBody: Encodable {
        var id: String
        var to: String
        var text: String
    }

    static let json: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The webhook's signature: lowercase hex HMAC-SHA256 over `timestamp + "." + body`.
    public static func signature(secret: String, timestamp: String, body: String) -> String {
        RequestSignature.hex(secret: secret, message: timestamp + "." + body)
    }

    /// `application/x-www-form-urlencoded` value: unreserved characters as they are, every other byte as %XX.
    static func formEncoded(_ value: String) -> String {
        value.utf8.map { byte in
            let c = Character(Unicode.Scalar(byte))
            return byte < 0x80 && (c.isLetter || c.isNumber || "-._~".contains(c)) ? String(c) : String(format: "%%%02X", byte)
        }.joined()
    }
}
