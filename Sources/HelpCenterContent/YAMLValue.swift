import HelpCenterMarkdown
import Yams

/// Reading YAML values as written: scalars stay strings (`No`, `3.10` and `0012` are not a boolean or
/// numbers), with typed accessors for the keys that need them.
struct YAMLMapping {
    let node: Node.Mapping
    /// The values by key (a later duplicate wins, as in Yams): Yams' own lookup compares every key,
    /// making a tagged node for each.
    private let values: [String: Node]
    /// Lines before the YAML text in its file, added to every location.
    let lineOffset: Int

    /// Parses `text` as one YAML mapping (YAML 1.1 via libyaml, through Yams).
    /// - Throws: ``YAMLError`` with the location of the problem and a hint.
    init(parsing text: String, lineOffset: Int) throws {
        // Complex keys (`? …`) and aliases used as keys make libyaml/Yams hash whole structures, which an
        // alias "bomb" turns into an exponential hang; settings never need them.
        let scalars = Array(text.unicodeScalars)
        let definesAnchor = scalars.indices.contains { i in
            scalars[i] == "&" && i + 1 < scalars.count && scalars[i + 1].properties.isAlphabetic
                && (i == 0 || " \t\n[{,:-".unicodeScalars.contains(scalars[i - 1]))
        }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where definesAnchor {
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "-" }
            if trimmed.hasPrefix("?") || trimmed.hasPrefix("*") || (trimmed.hasPrefix("{") && trimmed.contains("*")) {
                throw YAMLError(location: SourceLocation(line: index + 1 + lineOffset, column: 1),
                                message: "complex keys ('? …') and aliases ('*name') as keys are not supported; write plain 'key: value' lines")
            }
        }
        let root: Node?
        do {
            // The basic resolver leaves plain scalars untyped: values are read as written (see above), and
            // typing every key and value by the YAML 1.1 regular expressions was a tenth of a build. UTF-8
            // given: the default encoding reads the process environment on every parse.
            root = try Yams.compose(yaml: text, .basic, .default, .utf8)
        } catch let error as YamlError {
            throw YAMLError(error, lineOffset: lineOffset, text: text)
        }
        guard let root else {
            self.init(node: Node.Mapping([]), lineOffset: lineOffset)
            return
        }
        guard let mapping = root.mapping else {
            throw YAMLError(location: SourceLocation(line: lineOffset + 1, column: 1),
                            message: "expected 'key: value' lines; write each setting on its own line as key: value")
        }
        self.init(node: mapping, lineOffset: lineOffset)
    }

    /// The value at `key`, nil when absent.
    subscript(key: String) -> Node? { values[key] }

    func location(of key: String) -> SourceLocation {
        location(of: self[key]) ?? SourceLocation(line: lineOffset + 1, column: 1)
    }

    func location(of value: Node?) -> SourceLocation? {
        guard let mark = value?.mark else { return nil }
        return SourceLocation(line: mark.line + lineOffset, column: mark.column)
    }

    /// The scalar at `key` exactly as written (trimmed), or nil when absent, null or not a scalar.
    func string(_ key: String) -> String? {
        guard let scalar = self[key]?.scalar else { return nil }
        if scalar.style == .plain && (scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null") { return nil }
        return scalar.string
    }

    func int(_ key: String) -> Int? { string(key).flatMap { Int($0) } }

    /// Keys whose unquoted value is followed by ` #…` on its line: YAML reads that as a comment and
    /// drops it, which an editor rarely means (`summary: Use #tags: …` keeps only `Use`).
    func keysCutByComment(in text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return node.compactMap { key, value in
            guard let name = key.scalar?.string, let scalar = value.scalar, scalar.style == .plain,
                  let mark = scalar.mark, mark.line - 1 < lines.count else { return nil }
            let rest = lines[mark.line - 1].dropFirst(mark.column - 1)
            guard rest.hasPrefix(scalar.string) else { return nil }
            return rest.dropFirst(scalar.string.count).trimmed.hasPrefix("#") ? name : nil
        }
    }

    /// `true/yes/on` or `false/no/off`, any case; nil when absent or something else.
    func bool(_ key: String) -> Bool? {
        switch string(key)?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    /// A list of strings with their locations: a YAML sequence of scalars, or one scalar split at
    /// `separator` (`tags: "a, b,c"`).
    func list(_ key: String, splittingOn separator: Character? = nil) -> [(value: String, location: SourceLocation)] {
        guard let value = self[key] else { return [] }
        if let sequence = value.sequence {
            return sequence.compactMap { item in
                guard let text = item.scalar?.string.trimmed, !text.isEmpty else { return nil }
                return (text, location(of: item) ?? location(of: key))
            }
        }
        guard let text = string(key) else { return [] }
        let parts = separator.map { text.split(separator: $0).map(String.init) } ?? [text]
        return parts.map { $0.trimmed }.filter { !$0.isEmpty }.map { ($0, location(of: key)) }
    }

    func mapping(_ key: String) -> YAMLMapping? {
        guard let mapping = self[key]?.mapping else { return nil }
        return YAMLMapping(node: mapping, lineOffset: lineOffset)
    }

    private init(node: Node.Mapping, lineOffset: Int) {
        self.node = node
        self.lineOffset = lineOffset
        var values: [String: Node] = [:]
        for (key, value) in node { if let name = key.scalar?.string { values[name] = value } }
        self.values = values
    }
}

/// A YAML syntax error, placed in its file, with a hint an editor can act on.
struct YAMLError: Error {
    var location: SourceLocation
    var message: String

    init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    init(_ error: YamlError, lineOffset: Int, text: String) {
        var hint = "if a value contains ': ' or ' #', or starts with a quote, '[', '{', '*', '&', '!', '|', '>', '@' or '%', put it in double quotes"
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            location = SourceLocation(line: mark.line + lineOffset, column: mark.column)
            let line = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(mark.line - 1).first ?? ""
            if line.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
                hint = "indent with spaces, not tabs"
            }
            message = "invalid YAML: \(problem); \(hint)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            location = SourceLocation(line: context.mark.line + lineOffset, column: context.mark.column)
            message = "invalid YAML: the key '\(duplicates.joined(separator: "', '"))' is given twice; keep one"
        default:
            location = SourceLocation(line: lineOffset + 1, column: 1)
            message = "invalid YAML: \(error); \(hint)"
        }
    }
}

extension StringProtocol {
    var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
