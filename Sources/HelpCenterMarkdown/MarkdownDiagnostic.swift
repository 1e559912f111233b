/// A problem found in Markdown content: where, how bad, what, and how to fix it.
///
/// Markdown itself never fails to parse (CommonMark 0.30 defines a rendering for every input);
/// diagnostics report what the help center could not honour, such as an unsafe URL or dropped raw HTML.
public struct MarkdownDiagnostic: Sendable, Hashable {
    /// How serious a diagnostic is: errors fail a build, warnings do not.
    public enum Severity: String, Sendable, Hashable, Comparable {
        case warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
    }

    public var severity: Severity
    /// Where the problem starts, in the file the Markdown came from.
    public var location: SourceLocation
    /// One sentence: what is wrong, then how to fix it.
    public var message: String

    public init(_ severity: Severity, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }
}
