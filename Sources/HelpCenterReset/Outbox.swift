import Foundation
import Logging
import Synchronization

/// The delivery queue of what the reset flow sends, worked apart from the requests that queued it, so
/// that a response never waits on delivery and known and unknown addresses take the same time.
///
/// A message is `queued`, then `sending` while an attempt runs, then `sent`, or `queued` again after a
/// temporary failure (exponential backoff with jitter, ``retryDelay(afterAttempt:random:)``), or
/// `failed` for good: a permanent ``DeliveryFailure``, its ``maximumAttempts``-th failure, or its code
/// expiring first (no retry is made after the expiry). Its body, which holds the code, is erased when
/// it is sent, when it fails for good and when its code expires, whichever comes first. Every final
/// failure is one error-level log line with the masked destination and the reason.
///
/// An attempt is written before the send (a send that cannot be counted does not happen), and a
/// delivered message whose "sent" mark could not be written is never sent again.
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
    /// The wait after a first failed attempt, in seconds; it doubles after each later one.
    public static let firstRetryDelay: TimeInterval = 15

    public init(store: ResetStore, delivery: any Delivery, clock: @escaping @Sendable () -> Date = Date.init, logger: Logger) {
        self.store = store
        self.delivery = delivery
        self.clock = clock
        self.logger = logger
    }

    /// Seconds to wait after failed attempt number `attempt` (1-based): ``firstRetryDelay`` doubled
    /// per earlier attempt, times a jitter `random` from 0.5 to 1 ("equal jitter", so that messages
    /// that failed together do not retry together): 7.5–15 s, 15–30 s, 30–60 s, 60–120 s.
    public static func retryDelay(afterAttempt attempt: Int, random: Double = Double.random(in: 0.5...1)) -> TimeInterval {
        firstRetryDelay * pow(2, Double(max(0, attempt - 1))) * random
    }

    /// Delivers the messages that are due once; returns how many were delivered. Messages without a
    /// destination (an unknown address, an account with no phone) are dropped here, silently.
    @discardableResult
    public func deliverPending() async throws -> Int {
        // First the marks that could not be written after a send.
        for id in unrecorded.ids.withLock({ $0 }) {
            try await store.markSent(id: id, now: Int64(clock().timeIntervalSince1970))
            _ = unrecorded.ids.withLock { $0.remove(id) }
        }
        for row in try await store.expireMessages(now: Int64(clock().timeIntervalSince1970)) {
            logFinalFailure(row, reason: "its code expired before it could be delivered")
        }
        // Up to `parallelDeliveries` at once, so that one slow peer (a gateway that answers at the end
        // of its timeout) does not hold every other message back; each is claimed on its own.
        let due = try await store.dueMessages(now: Int64(clock().timeIntervalSince1970), limit: 100)
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            var delivered = 0
            for (index, row) in due.enumerated() {
                if index >= Self.parallelDeliveries, try await group.next() == true { delivered += 1 }
                group.addTask { try await deliver(row) }
            }
            for try await sent in group where sent { delivered += 1 }
            return delivered
        }
    }

    /// Messages sent at the same time, at most.
    public static let parallelDeliveries = 8

    /// One attempt at `row`; true when it was delivered.
    private func deliver(_ row: ResetStore.OutboxRow) async throws -> Bool {
        let now = clock()
        guard let destination = row.destination, let channel = Message.Channel(rawValue: row.channel) else {
            try await store.markDropped(id: row.id, now: Int64(now.timeIntervalSince1970))
            return false
        }
        guard let attempt = try await store.claimDelivery(id: row.id, maximumAttempts: Self.maximumAttempts) else { return false }
        do {
            try await delivery.deliver(Message(id: row.id, channel: channel, to: destination, subject: row.subject, body: row.body, sentAt: now))
        } catch {
            try await failed(row, attempt: attempt, error: error, now: now)
            return false
        }
        // Debug level: only known addresses get one, so at info level logs look the same for every address.
        logger.debug("message delivered", metadata: ["kind": "\(row.kind)", "channel": "\(row.channel)", "to": "\(Account.masked(destination))"])
        do {
            try await store.markSent(id: row.id, now: Int64(now.timeIntervalSince1970))
        } catch {
            unrecorded.ids.withLock { _ = $0.insert(row.id) }
            throw error
        }
        return true
    }

    /// After a failed attempt: queued again after the backoff, or failed for good (permanent, the
    /// last attempt, or the next attempt would come after the code's expiry).
    private func failed(_ row: ResetStore.OutboxRow, attempt: Int, error: any Error, now: Date) async throws {
        var failure = error as? DeliveryFailure ?? DeliveryFailure(.temporary, String(describing: error))
        // A server's reply may quote the address ("550 <buyer@example.com>: no such user").
        if let destination = row.destination {
            failure.reason = failure.reason.replacingOccurrences(of: destination, with: Account.masked(destination), options: .caseInsensitive)
        }
        let next = Int64((now.timeIntervalSince1970 + Self.retryDelay(afterAttempt: attempt)).rounded(.up))
        let expired = row.expires_at.map { next >= $0 } ?? false
        guard failure.kind == .temporary, attempt < Self.maximumAttempts, !expired else {
            try await store.markFailed(id: row.id, error: failure.reason)
            let why = failure.kind == .permanent ? "" : attempt >= Self.maximumAttempts ? " (after \(attempt) attempts)" : " (its code expires before another attempt)"
            logFinalFailure(row, reason: failure.reason + why)
            return
        }
        try await store.markRetry(id: row.id, nextAttemptAt: next, error: failure.reason)
        logger.warning("message delivery failed, will retry", metadata: [
            "kind": "\(row.kind)", "channel": "\(row.channel)", "to": "\(row.destination.map(Account.masked) ?? "none")",
            "attempt": "\(attempt)", "retry_in_s": "\(next - Int64(now.timeIntervalSince1970))", "reason": "\(failure.reason)",
        ])
    }

    private func logFinalFailure(_ row: ResetStore.OutboxRow, reason: String) {
        logger.error("message delivery failed for good", metadata: [
            "id": "\(row.id)", "kind": "\(row.kind)", "channel": "\(row.channel)",
            "to": "\(row.destination.map(Account.masked) ?? "none")", "reason": "\(reason)",
        ])
    }

    /// The newest `limit` messages (no bodies, destinations masked), or those in `state`.
    public func list(state: String? = nil, limit: Int = 50) async throws -> [ResetStore.OutboxEntry] {
        try await store.outboxEntries(state: state, limit: limit).map { entry in
            var entry = entry
            entry.destination = entry.destination.map(Account.masked)
            return entry
        }
    }

    /// Makes message `id` due now: a queued one waiting for its backoff, or one left `sending` by a
    /// server that stopped mid-send. Returns false when there is no such message whose code still
    /// works (a failed message cannot be sent again: its body is erased).
    public func retry(id: String) async throws -> Bool {
        try await store.retryNow(id: id, now: Int64(clock().timeIntervalSince1970)) != nil
    }

    /// Delivers due messages every `interval` seconds until the task is cancelled.
    public func run(interval: Duration = .milliseconds(250)) async {
        while !Task.isCancelled {
            do { try await deliverPending() } catch { logger.error("outbox: \(String(describing: error))") }
            try? await Task.sleep(for: interval)
        }
    }
}
