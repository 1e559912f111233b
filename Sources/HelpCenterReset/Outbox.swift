import Foundation
import Logging
import Synchronization

/// Sends what the reset flow queued in the outbox table, apart from the requests that queued it, so
/// that a response never waits on delivery and known and unknown addresses take the same time.
///
/// Each message is sent at most ``maximumAttempts`` times, and never again once delivered: an attempt
/// is written before the send (a send that cannot be counted does not happen), and a delivered
/// message whose "sent" mark could not be written is remembered and skipped until the mark is written.
public struct Outbox: Sendable {
    let store: ResetStore
    let delivery: any Delivery
    let clock: @Sendable () -> Date
    let logger: Logger
    /// Messages delivered whose "sent" mark is not written yet (the database failed after the send).
    private let unrecorded = Unrecorded()

    final class Unrecorded: Sendable {
        let ids = Mutex<Set<String>>([])
    }

    /// Delivery attempts per message, at most.
    public static let maximumAttempts = 5

    public init(store: ResetStore, delivery: any Delivery, clock: @escaping @Sendable () -> Date = Date.init, logger: Logger) {
        self.store = store
        self.delivery = delivery
        self.clock = clock
        self.logger = logger
    }

    /// Delivers the pending messages once; returns how many were delivered. Messages without a
    /// destination (an unknown address, an account with no phone) are dropped here, silently.
    @discardableResult
    public func deliverPending() async throws -> Int {
        // First the marks that could not be written after a send.
        for id in unrecorded.ids.withLock({ $0 }) {
            try await store.markSent(id: id, now: Int64(clock().timeIntervalSince1970))
            _ = unrecorded.ids.withLock { $0.remove(id) }
        }
        var delivered = 0
        for row in try await store.pendingMessages(limit: 100) {
            let now = clock()
            guard let destination = row.destination, let channel = Message.Channel(rawValue: row.channel) else {
                try await store.markSent(id: row.id, now: Int64(now.timeIntervalSince1970))
                continue
            }
            guard let attempt = try await store.claimDelivery(id: row.id, maximumAttempts: Self.maximumAttempts) else { continue }
            do {
                try await delivery.deliver(Message(channel: channel, to: destination, subject: row.subject, body: row.body, sentAt: now))
            } catch {
                let final = attempt >= Self.maximumAttempts
                if final { try await store.eraseBody(id: row.id) }
                logger.log(level: final ? .error : .warning, final ? "message delivery failed for good" : "message delivery failed",
                           metadata: ["kind": "\(row.kind)", "channel": "\(row.channel)", "to": "\(Account.masked(destination))", "attempt": "\(attempt)"])
                continue
            }
            delivered += 1
            // Debug level: only known addresses get one, so at info level logs look the same for every address.
            logger.debug("message delivered", metadata: ["kind": "\(row.kind)", "channel": "\(row.channel)", "to": "\(Account.masked(destination))"])
            do {
                try await store.markSent(id: row.id, now: Int64(now.timeIntervalSince1970))
            } catch {
                unrecorded.ids.withLock { _ = $0.insert(row.id) }
                throw error
            }
        }
        return delivered
    }

    /// Delivers pending messages every `interval` seconds until the task is cancelled.
    public func run(interval: Duration = .milliseconds(250)) async {
        while !Task.isCancelled {
            do { try await deliverPending() } catch { logger.error("outbox: \(String(describing: error))") }
            try? await Task.sleep(for: interval)
        }
    }
}
