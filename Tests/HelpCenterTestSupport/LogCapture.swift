import Foundation
import Logging

/// Every log line, to check what reaches one (and that no secret does).
public final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    public init() {}

    public var text: String { lock.withLock { lines.joined(separator: "\n") } }
    public func append(_ line: String) { lock.withLock { lines.append(line) } }

    public struct Handler: LogHandler {
        let capture: LogCapture
        public var metadata: Logger.Metadata = [:]
        public var logLevel: Logger.Level = .trace
        public init(capture: LogCapture) { self.capture = capture }
        public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        public func log(event: LogEvent) {
            capture.append("\(event.level) \(event.message) \(event.metadata.map { "\($0)" } ?? "") \(metadata)")
        }
    }
}


extension LogCapture {
    /// A logger whose lines go to this capture.
    public var logger: Logger { Logger(label: "test") { _ in Handler(capture: self) } }
}
