import Foundation
import Logging

/// Sends what the reset flow queued in the outbox table, apart from the requests that queued it, so
/// that a response never waits on delivery and known and unknown addresses take the same time.
public struct Outbox: Sendable {
    let store: ResetStore
    let delivery: any Delivery
    let clock: @Sendable () -> Date
    let logger: Logger

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
        var delivered = 0
        for row in try await store.pendingMessages(limit: 100) {
            let now = clock()
            guard let destination = row.destination, let channel = Message.Channel(rawValue: row.channel) else {
                try await store.markSent(id: row.id, now: Int64(now.timeIntervalSince1970))
                continue
            }
            do {
                try await delivery.deliver(Message(channel: channel, to: destination, subject: row.subject, body: row.body, sentAt: now))
                try await store.markSent(id: row.id, now: Int64(now.timeIntervalSince1970))
                delivered += 1
                logger.info("message delivered", metadata: ["kind": "\(row.kind)", "channel": "\(row.channel)", "to": "\(Account.masked(destination))"])
            } catch {
                try await store.markFailed(id: row.id)
                logger.warning("message delivery failed", metadata: ["kind": "\(row.kind)", "channel": "\(row.channel)",
                                                                      "to": "\(Account.masked(destination))", "attempt": "\(row.attempts + 1)"])
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
