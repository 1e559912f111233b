import HelpCenterMarkdown

/// The YAML front matter of an article and the Markdown body after it.
///
/// Front matter is a YAML mapping between a first line `---` and the next line `---` (or `...`).
/// The file may start with a UTF-8 BOM and use CRLF or CR line endings; both are normalised first.
public struct FrontMatter: Sendable {
    public var title: String?
    public var id: String?
    public var summary: String?
    public var tags: [String] = []
    /// `related:` entries as written (article ids or paths), with their locations.
    public var related: [(reference: String, location: SourceLocation)] = []
    public var aliases: [(path: String, location: SourceLocation)] = []
    public var order: Int?
    /// `YYYY-MM-DD`.
    public var updated: String?
    public var draft = false
    /// `featured: true`: listed first on its category page (Zendesk's "promoted").
    public var featured = false
    public var walkthrough: String?
    /// Where each key was written, for diagnostics.
    public var locations: [String: SourceLocation] = [:]

    /// The keys this version reads; others are ignored.
    public static let knownKeys = ["title", "id", "summary", "tags", "related", "aliases", "order", "updated", "draft", "featured", "walkthrough"]

    /// Splits a whole article file into front matter and body.
    ///
    /// - Returns: the front matter (empty when the file has none), the body, and the number of lines
    ///   before the body (add it to body line numbers), plus the problems found, located in `path`.
    public static func split(_ file: String, path: String) -> (FrontMatter, body: String, bodyLineOffset: Int, [Diagnostic]) {
        var text = file
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.utf8.contains(UInt8(ascii: "\r")) {  // bytes: Foundation's contains(String) goes through CFString
            text = text.replacingCRLF()
        }
        var frontMatter = FrontMatter()
        guard text.hasPrefix("---") else { return (frontMatter, text, 0, []) }
        // Scan line by line up to the closing fence only; the body is the rest, never split.
        var lineStart = text.startIndex
        var lineNumber = 0
        var yamlStart: String.Index?
        var close: (line: Int, yamlEnd: String.Index, bodyStart: String.Index)?
        while lineStart < text.endIndex {
            let lineEnd = text[lineStart...].firstIndex(of: "\n") ?? text.endIndex
            let next = lineEnd < text.endIndex ? text.index(after: lineEnd) : lineEnd
            // Fences stand at the start of their line: an indented `---` belongs to a YAML block scalar.
            var line = text[lineStart..<lineEnd]
            while let last = line.last, last == " " || last == "\t" { line = line.dropLast() }
            if lineNumber == 0 {
                guard line == "---" else { return (frontMatter, text, 0, []) }
                yamlStart = next
            } else if line == "---" || line == "..." {
                close = (lineNumber, lineStart, next)
                break
            }
            lineNumber += 1
            lineStart = next
        }
        guard let close, let yamlStart else {
            let diagnostic = Diagnostic(.error, path, SourceLocation(line: 1, column: 1),
                "front matter starts with '---' but has no closing '---' line; add one after the last key")
            return (frontMatter, text, 0, [diagnostic])
        }
        let yamlText = String(text[yamlStart..<close.yamlEnd])
        let body = String(text[close.bodyStart...])
        do {
            let yaml = try YAMLMapping(parsing: yamlText, lineOffset: 1)
            var diagnostics = frontMatter.read(yaml, path: path)
            for key in yaml.keysCutByComment(in: yamlText) {
                diagnostics.append(Diagnostic(.warning, path, yaml.location(of: key),
                    "the text after ' #' in '\(key)' is a YAML comment and was left out; put the whole value in double quotes"))
            }
            return (frontMatter, body, close.line + 1, diagnostics.sorted())
        } catch let error as YAMLError {
            return (frontMatter, body, close.line + 1, [Diagnostic(.error, path, error.location, error.message)])
        } catch {
            return (frontMatter, body, close.line + 1, [Diagnostic(.error, path, SourceLocation(line: 2, column: 1), "\(error)")])
        }
    }

    private mutating func read(_ yaml: YAMLMapping, path: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for key in Self.knownKeys where yaml[key] != nil { locations[key] = yaml.location(of: key) }
        for key in ["title", "id", "summary", "order", "updated", "draft", "featured", "walkthrough"] where yaml[key] != nil && yaml[key]?.scalar == nil {
            diagnostics.append(Diagnostic(.warning, path, yaml.location(of: key), "\(key) must be a single value, not a list or mapping; it is ignored"))
        }
        for key in ["tags", "related", "aliases"] {
            guard let value = yaml[key] else { continue }
            if value.mapping != nil || (value.sequence?.contains { $0.scalar == nil } ?? false) {
                diagnostics.append(Diagnostic(.warning, path, yaml.location(of: key),
                    "\(key) must be a list of values (or one value); nested lists and mappings are ignored"))
            }
        }
        title = yaml.string("title")?.trimmed
        summary = yaml.string("summary")?.trimmed
        walkthrough = yaml.string("walkthrough")
        tags = yaml.list("tags", splittingOn: ",").map(\.value)
        related = yaml.list("related").map { ($0.value, $0.location) }
        aliases = yaml.list("aliases").map { ($0.value, $0.location) }
        if let id = yaml.string("id") {
            if !id.isEmpty, id.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) {
                self.id = id
            } else {
                diagnostics.append(Diagnostic(.error, path, yaml.location(of: "id"),
                    "id '\(id)' may contain only letters, digits, '-' and '_'; it becomes the permalink /a/<id>/"))
            }
        }
        if let text = yaml.string("order") {
            if let value = Int(text) { order = value } else {
                diagnostics.append(Diagnostic(.warning, path, yaml.location(of: "order"), "order '\(text)' is not a whole number; it is ignored"))
            }
        }
        if let text = yaml.string("draft") {
            if let value = yaml.bool("draft") { draft = value } else {
                diagnostics.append(Diagnostic(.error, path, yaml.location(of: "draft"), "draft must be true or false, not '\(text)'"))
            }
        }
        if let text = yaml.string("featured") {
            if let value = yaml.bool("featured") { featured = value } else {
                diagnostics.append(Diagnostic(.warning, path, yaml.location(of: "featured"), "featured must be true or false, not '\(text)'; it is ignored"))
            }
        }
        if let text = yaml.string("updated") {
            if let value = Self.isoTimestamp(text) { updated = value } else {
                diagnostics.append(Diagnostic(.error, path, yaml.location(of: "updated"),
                    "updated '\(text)' is not a valid date; write YYYY-MM-DD (e.g. 2026-10-14) or a date and time such as 2026-10-14T09:30:00+02:00"))
            }
        }
        return diagnostics
    }

    /// `text` as a W3C Datetime (the profile of ISO 8601 that sitemaps and schema.org read): a calendar
    /// date `YYYY-MM-DD`, or a date and time `YYYY-MM-DDThh:mm[:ss[.s…]]` with a zone `Z` or `±hh:mm`
    /// (a space instead of `T`, as YAML allows, becomes `T`; a time without a zone is taken as UTC and
    /// gets `Z`). Nil when the date or the time is not valid (month 13, 31 April, 25:00, …).
    static func isoTimestamp(_ text: String) -> String? {
        let date = String(text.prefix(10))
        guard isISODate(date) else { return nil }
        var time = Substring(text.dropFirst(10))
        if time.isEmpty { return date }
        guard time.first == "T" || time.first == " " else { return nil }
        time = time.dropFirst()
        var zone = ""
        if time.hasSuffix("Z") {
            zone = "Z"
            time = time.dropLast()
        } else if let sign = time.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            zone = String(time[sign...])
            time = time[..<sign]
            let parts = zone.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hours = Int(parts[0]), let minutes = Int(parts[1]),
                  hours <= 14, minutes < 60 else { return nil }
        } else {
            zone = "Z"
        }
        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(clock.count), clock[0].count == 2, clock[1].count == 2, let hour = Int(clock[0]), let minute = Int(clock[1]),
              hour < 24, minute < 60 else { return nil }
        if clock.count == 3 {
            let seconds = clock[2].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard seconds[0].count == 2, let second = Int(seconds[0]), second < 60,
                  seconds.count == 1 || (!seconds[1].isEmpty && seconds[1].allSatisfy(\.isASCII) && seconds[1].allSatisfy(\.isNumber)) else { return nil }
        }
        return date + "T" + time + zone
    }

    /// Whether `text` is a calendar date `YYYY-MM-DD` (ISO 8601) with a valid month and day.
    static func isISODate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
        let days = [31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...12).contains(month) && (1...days[month - 1]).contains(day)
    }
}

extension String {
    /// The text with CRLF and lone CR line endings turned into LF.
    func replacingCRLF() -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                out.unicodeScalars.append("\n")
                previousCR = true
                continue
            }
            if !(scalar == "\n" && previousCR) { out.unicodeScalars.append(scalar) }
            previousCR = false
        }
        return out
    }
}
