import Foundation

/// One email or text message.
public struct Message: Sendable, Equatable, Codable {
    public enum Channel: String, Sendable, Codable { case email, sms }
    /// The outbox row's id: the same for every attempt (a gateway's idempotency key).
    public var id: String
    public var channel: Channel
    public var to: String
    public var subject: String
    public var body: String
    public var sentAt: Date

    public init(id: String = UUID().uuidString, channel: Channel, to: String, subject: String, body: String, sentAt: Date) {
        self.id = id
        self.channel = channel
        self.to = to
        self.subject = subject
        self.body = body
        self.sentAt = sentAt
    }
}

/// Where messages go: an email or SMS gateway in production, ``CapturedDelivery`` in the demo and tests.
public protocol Delivery: Sendable {
    /// Sends `message`. Throwing makes the outbox retry later (at most 5 attempts, with backoff, while
    /// the code inside works), unless the error is a permanent ``DeliveryFailure``; the person who
    /// asked never sees a delivery failure (Django CVE-2024-45231).
    func deliver(_ message: Message) async throws
}

/// Why a delivery failed, as the peer said it: temporary (an SMTP 4xx reply, an HTTP 429 or 5xx, a
/// peer down, slow or failing TLS: the outbox tries again later) or permanent (an SMTP 5xx reply,
/// another HTTP 4xx, an address the peer refuses: the message fails at once). Any other error a
/// delivery throws counts as temporary.
public struct DeliveryFailure: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable { case temporary, permanent }
    public var kind: Kind
    /// What happened, with the peer's reply when there was one; never a credential.
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { reason }
}

/// A delivery that keeps every message in memory, newest last: the demo inbox (`/demo/inbox`) and
/// the tests' view of what was "sent".
public actor CapturedDelivery: Delivery {
    public private(set) var messages: [Message] = []
    /// When set, every delivery throws (to test that failures never show).
    public var failing = false

    public init() {}

    public func deliver(_ message: Message) async throws {
        if failing { throw Failure() }
        messages.append(message)
    }

    public func setFailing(_ value: Bool) { failing = value }

    struct Failure: Error {}
}
