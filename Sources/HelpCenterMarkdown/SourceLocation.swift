/// A position in a source file: 1-based line and 1-based column.
///
/// Columns count UTF-8 bytes from the start of the line, as CommonMark 0.30's reference
/// implementation (libcmark) reports them and as compilers print them in `path:line:col`.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, in UTF-8 bytes.
    public var column: Int

    /// Creates a location; both values are 1-based.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `line:column`, as used in diagnostics.
    public var description: String { "\(line):\(column)" }
}

/// The span of a node in its source, from `start` to `end` inclusive.
public struct SourceRange: Sendable, Hashable {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// The range `1:1-1:1`, for nodes built without a source.
    public static let unknown = SourceRange(start: SourceLocation(line: 1, column: 1), end: SourceLocation(line: 1, column: 1))
}
