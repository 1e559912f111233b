import HelpCenterMarkdown

/// One problem in the content, reported in the compiler's format `path:line:col: error: message`.
///
/// All diagnostics of a build are collected and printed together; any `error` fails the build.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Comparable {
    public typealias Severity = MarkdownDiagnostic.Severity

    /// The file, as a path the user can open (the content folder as given, joined with the file's path in it).
    public var path: String
    public var location: SourceLocation
    public var severity: Severity
    /// What is wrong, then how to fix it.
    public var message: String

    public init(_ severity: Severity, _ path: String, _ location: SourceLocation = SourceLocation(line: 1, column: 1), _ message: String) {
        self.severity = severity
        self.path = path
        self.location = location
        self.message = message
    }

    /// `path:line:col: severity: message`.
    /// `path:line:col: severity: message`, with control, invisible and line-breaking characters of the
    /// path and message (a file name, a front-matter value) shown as `\u{…}`: a diagnostic is one line,
    /// and nothing in it can drive the terminal.
    public var description: String {
        "\(SitePath.visible(path)):\(location.line):\(location.column): \(severity.rawValue): \(SitePath.visible(message))"
    }

    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        (lhs.path, lhs.location, lhs.message) < (rhs.path, rhs.location, rhs.message)
    }
}

/// A list of diagnostics with the counts a build summary needs.
public extension Array where Element == Diagnostic {
    var errorCount: Int { count { $0.severity == .error } }
    var warningCount: Int { count { $0.severity == .warning } }
}
