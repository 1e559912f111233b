import Foundation

/// A clock the tests move by hand (injected where the code takes `@Sendable () -> Date`).
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var date = Date(timeIntervalSince1970: 1_800_000_000)

    public init() {}

    public var now: Date { lock.withLock { date } }
    public func advance(_ seconds: TimeInterval) { lock.withLock { date += seconds } }
}
