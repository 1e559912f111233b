import Foundation

/// One email or text message.
public struct Message: Sendable, Equatable, Codable {
    public enum Channel: String, Sendable, Codable { case email, sms }
    public var channel: Channel
    public var to: String
    public var subject: String
    public var body: String
    public var sentAt: Date

    public init(channel: Channel, to: String, subject: String, body: String, sentAt: Date) {
        self.channel = channel
        self.to = to
        self.subject = subject
        self.body = body
        self.sentAt = sentAt
    }
}

/// Where messages go: an email or SMS gateway in production, ``CapturedDelivery`` in the demo and tests.
public protocol Delivery: Sendable {
    /// Sends `message`. Throwing makes the outbox retry later (at most 5 attempts); the person who
    /// asked never sees a delivery failure (Django CVE-2024-45231).
    func deliver(_ message: Message) async throws
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
