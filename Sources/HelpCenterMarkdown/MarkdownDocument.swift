import Foundation

/// A Markdown article body parsed once with libcmark and prepared for every later use:
/// heading anchors assigned, GFM pipe tables and GitHub-style callouts built on the tree,
/// links and headings listed with their source locations, and diagnostics collected.
///
/// Everything downstream (link resolution, page rendering, search indexing) reads this one parse.
public struct MarkdownDocument: Sendable {
    /// A heading of the document with its unique anchor.
    public struct Heading: Sendable, Equatable {
        public var level: Int
        public var id: String
        public var text: String
        public var location: SourceLocation
    }

    /// A link or image destination as written, with where it stands.
    public struct Link: Sendable, Equatable {
        public var destination: String
        public var isImage: Bool
        public var location: SourceLocation

        public init(destination: String, isImage: Bool, location: SourceLocation) {
            self.destination = destination
            self.isImage = isImage
            self.location = location
        }
    }

    /// A raw HTML node (block or inline) as written.
    public struct RawHTML: Sendable, Equatable {
        public var html: String
        public var isBlock: Bool
        public var location: SourceLocation
    }

    public private(set) var root: MarkdownNode
    public private(set) var headings: [Heading] = []
    public private(set) var links: [Link] = []
    public private(set) var rawHTML: [RawHTML] = []
    public private(set) var diagnostics: [MarkdownDiagnostic] = []

    private let lines: [[UInt8]]
    private let lineOffset: Int

    /// `[` characters an article may hold. Debian's libcmark 0.30.2 takes time quadratic in the
    /// brackets of a paragraph on input such as `![[]()` repeated (40,000 repetitions: 3.3 s; fixed
    /// upstream in 0.30.3, which Debian does not ship): 20,000 parse in about 0.2 s at worst, and no
    /// help article comes near it (the sample's largest has 10).
    public static let maximumBrackets = 20_000

    /// Parses `source` (CommonMark 0.30 plus pipe tables and callouts). A source with more than
    /// ``maximumBrackets`` `[` is not parsed: its text is kept as one paragraph, with an error.
    ///
    /// - Parameters:
    ///   - source: the Markdown body, without front matter; LF, CRLF or CR line endings.
    ///   - lineOffset: lines that preceded `source` in its file (the front matter), added to every location.
    public init(parsing source: String, lineOffset: Int = 0) {
        self.lineOffset = lineOffset
        self.lines = source.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            Array(line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...])
        }
        let brackets = source.utf8.count(where: { $0 == UInt8(ascii: "[") })
        guard brackets <= Self.maximumBrackets else {
            // Not handed to libcmark at all: shown as plain text, and an error stops the build.
            root = MarkdownNode(.document, children: [MarkdownNode(.paragraph, children: [MarkdownNode(.text(source))])])
            diagnostics.append(MarkdownDiagnostic(.error, at: SourceLocation(line: lineOffset + 1, column: 1),
                "the article holds \(brackets) '[' characters, more than \(Self.maximumBrackets): the system's libcmark (0.30.2) needs time quadratic in them; split it into several articles"))
            return
        }
        let converted = CommonMarkConverter.parse(source, lineOffset: lineOffset)
        root = converted.root
        if converted.unwrappedNodes > 0, let location = converted.firstUnwrapped {
            diagnostics.append(MarkdownDiagnostic(.warning, at: location,
                "\(converted.unwrappedNodes) elements (block quotes, lists, emphasis or links) nested deeper than \(CommonMarkConverter.maximumNesting) levels were flattened; their text is kept, reduce the nesting to keep their structure"))
        }
        root = transform(root, insideQuote: false)
        assignHeadingIDs()
        collect(root)
    }

    // MARK: - Title

    /// Removes the first top-level level-1 heading and returns its text, for articles whose front
    /// matter has no title (the heading is then the page title and is not rendered twice).
    /// - Returns: nil, and changes nothing, when the document has no top-level H1.
    public mutating func removeFirstTitleHeading() -> String? {
        guard let index = root.children.firstIndex(where: { if case .heading(1, _) = $0.kind { return true } else { return false } }) else {
            return nil
        }
        let heading = root.children.remove(at: index)
        if case .heading(_, let id) = heading.kind {
            headings.removeAll { $0.id == id && $0.level == 1 }
        }
        return heading.plainText.trimmingSpaces
    }

    // MARK: - Tree transforms

    private mutating func transform(_ node: MarkdownNode, insideQuote: Bool) -> MarkdownNode {
        var node = node
        switch node.kind {
        case .blockQuote:
            node = makeCallout(node)
        case .paragraph:
            if let table = makeTable(node, insideQuote: insideQuote) { return table }
        case .heading:
            node = extractCustomID(node)
        case .text(let text):
            checkFootnote(text, at: node.range.start)
        default:
            break
        }
        let quoted = insideQuote || node.kind == .blockQuote || { if case .callout = node.kind { return true } else { return false } }()
        node.children = node.children.map { transform($0, insideQuote: quoted) }
        return node
    }

    /// `> [!NOTE]` as the first line of a block quote makes it a callout (GitHub's alert syntax).
    private mutating func makeCallout(_ quote: MarkdownNode) -> MarkdownNode {
        guard var paragraph = quote.children.first, paragraph.kind == .paragraph,
              let first = paragraph.children.first, case .text(let text) = first.kind,
              text.hasPrefix("[!"), let close = text.firstIndex(of: "]") else { return quote }
        let name = text[text.index(text.startIndex, offsetBy: 2)..<close]
        guard let kind = MarkdownNode.CalloutKind(rawValue: name.lowercased()) else {
            if !name.isEmpty, name.allSatisfy({ $0.isLetter }) {
                diagnostics.append(MarkdownDiagnostic(.warning, at: first.range.start,
                    "unknown callout kind '[!\(name)]' is shown as text; use [!NOTE], [!TIP], [!IMPORTANT], [!WARNING] or [!CAUTION]"))
            }
            return quote
        }
        let rest = text[text.index(after: close)...].drop { $0 == " " || $0 == "\t" }
        if rest.isEmpty {
            paragraph.children.removeFirst()
            if paragraph.children.first?.kind == .softBreak { paragraph.children.removeFirst() }
        } else {
            paragraph.children[0].kind = .text(String(rest))
        }
        var body = quote.children
        if paragraph.children.isEmpty { body.removeFirst() } else { body[0] = paragraph }
        return MarkdownNode(.callout(kind), children: body, range: quote.range)
    }

    /// `## Title {#custom-id}`: the id is taken and removed from the text.
    private mutating func extractCustomID(_ heading: MarkdownNode) -> MarkdownNode {
        guard case .heading(let level, _) = heading.kind, let last = heading.children.last,
              case .text(let text) = last.kind else { return heading }
        let trimmed = text.trimmingSpaces
        guard trimmed.hasSuffix("}"), let open = trimmed.range(of: "{#", options: .backwards) else { return heading }
        let id = String(trimmed[open.upperBound..<trimmed.index(before: trimmed.endIndex)])
        let valid = !id.isEmpty && id.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "." }
        guard valid else {
            diagnostics.append(MarkdownDiagnostic(.warning, at: heading.range.start,
                "heading id '{#\(id)}' may contain only letters, digits, '-', '_' and '.'; it is shown as text"))
            return heading
        }
        var heading = heading
        let remaining = String(trimmed[..<open.lowerBound]).trimmingSpaces
        if remaining.isEmpty { heading.children.removeLast() } else { heading.children[heading.children.count - 1].kind = .text(remaining) }
        heading.kind = .heading(level: level, id: "#" + id)  // "#" marks a custom id until assignHeadingIDs
        return heading
    }

    private mutating func checkFootnote(_ text: String, at location: SourceLocation) {
        // "[^" found on the UTF-8 bytes (Foundation's range(of:) goes through CFString, slow for every paragraph).
        let bytes = text.utf8
        var search = bytes.startIndex
        var caret: String.Index?
        while caret == nil, let bracket = bytes[search...].firstIndex(of: UInt8(ascii: "[")) {
            search = bytes.index(after: bracket)
            if search < bytes.endIndex, bytes[search] == UInt8(ascii: "^") { caret = bracket }
        }
        guard let caret else { return }
        let start = caret..<bytes.index(caret, offsetBy: 2)
        let after = text[start.upperBound...]
        guard let close = after.firstIndex(of: "]"), close != after.startIndex,
              !after[..<close].contains(where: { $0 == " " || $0 == "[" }) else { return }
        var at = location
        at.column += text[..<start.lowerBound].utf8.count  // exact unless escapes or entities precede it
        diagnostics.append(MarkdownDiagnostic(.warning, at: at,
            "footnotes are not supported: '[^\(after[..<close])]' is shown as text; write the note in the sentence or in a > [!NOTE] callout"))
    }

    // MARK: - Pipe tables (GFM spec §4.10), built on the paragraph libcmark produced

    private mutating func makeTable(_ paragraph: MarkdownNode, insideQuote: Bool) -> MarkdownNode? {
        let first = paragraph.range.start.line - lineOffset - 1
        let last = paragraph.range.end.line - lineOffset - 1
        guard first >= 0, last < lines.count, last > first else { return nil }
        var rows: [(cells: [TableCellSource], line: Int)] = []
        for index in first...last {
            let line = lines[index]
            var start = index == first ? min(line.count, paragraph.range.start.column - 1) : 0
            while start < line.count, line[start] == UInt8(ascii: " ") || line[start] == UInt8(ascii: "\t") || (insideQuote && line[start] == UInt8(ascii: ">")) {
                start += 1
            }
            guard let cells = TableCellSource.split(line, from: start) else {
                rows.append(([], index))
                continue
            }
            rows.append((cells, index))
        }
        let header = rows[0].cells
        guard !header.isEmpty, let alignments = TableCellSource.alignments(rows[1].cells, line: lines[rows[1].line]),
              alignments.count == header.count else {
            for i in 2..<rows.count where !rows[i - 1].cells.isEmpty {
                if let aligns = TableCellSource.alignments(rows[i].cells, line: lines[rows[i].line]), aligns.count == rows[i - 1].cells.count {
                    diagnostics.append(MarkdownDiagnostic(.warning, at: SourceLocation(line: rows[i - 1].line + lineOffset + 1, column: 1),
                        "this looks like a table header but the table does not start a paragraph; add a blank line before it"))
                    break
                }
            }
            return nil
        }
        var tableRows = [makeRow(header, line: rows[0].line, header: true, columns: header.count)]
        for row in rows.dropFirst(2) {
            tableRows.append(makeRow(row.cells, line: row.line, header: false, columns: header.count))
        }
        return MarkdownNode(.table(alignments: alignments), children: tableRows, range: paragraph.range)
    }

    private func makeRow(_ cells: [TableCellSource], line: Int, header: Bool, columns: Int) -> MarkdownNode {
        let fileLine = line + lineOffset + 1
        var nodes: [MarkdownNode] = []
        for column in 0..<columns {
            guard column < cells.count else {
                nodes.append(MarkdownNode(.tableCell))
                continue
            }
            let cell = cells[column]
            let parsed = CommonMarkConverter.parse(cell.text, lineOffset: fileLine - 1).root
            var inlines: [MarkdownNode]
            if let first = parsed.children.first, first.kind == .paragraph, parsed.children.count == 1 {
                inlines = first.children
            } else if parsed.children.isEmpty {
                inlines = []
            } else if parsed.children.count == 1, case .htmlBlock(let html) = parsed.children[0].kind {
                inlines = [MarkdownNode(.htmlInline(html.trimmingSpaces), range: parsed.children[0].range)]  // `<br>`, `<img …>` alone in a cell
            } else {
                inlines = [MarkdownNode(.text(cell.text))]
            }
            inlines = inlines.map { $0.shiftingColumns(by: cell.column - 1, onLine: fileLine) }
            let location = SourceLocation(line: fileLine, column: cell.column)
            nodes.append(MarkdownNode(.tableCell, children: inlines, range: SourceRange(start: location, end: location)))
        }
        let location = SourceLocation(line: fileLine, column: 1)
        return MarkdownNode(.tableRow(header: header), children: nodes, range: SourceRange(start: location, end: location))
    }

    // MARK: - Anchors and inventories

    private mutating func assignHeadingIDs() {
        var slugger = HeadingSlugger()
        var customs: [String: SourceLocation] = [:]
        forEachHeading(in: root) { node in
            if case .heading(_, let id) = node.kind, id.hasPrefix("#") {
                let custom = String(id.dropFirst())
                if HeadingSlugger.isReserved(custom) {
                    diagnostics.append(MarkdownDiagnostic(.warning, at: node.range.start,
                        "heading id '\(custom)' is used by the page around the article; the heading gets another id, choose another {#id}"))
                } else if !slugger.reserve(custom), customs[custom] != nil {
                    diagnostics.append(MarkdownDiagnostic(.warning, at: node.range.start,
                        "heading id '\(custom)' is used twice in this article; give one heading another {#id}"))
                }
                customs[custom] = node.range.start
            }
        }
        var seenCustom: Set<String> = []
        root = assignIDs(root, slugger: &slugger, seenCustom: &seenCustom)
    }

    private func forEachHeading(in node: MarkdownNode, _ body: (MarkdownNode) -> Void) {
        if case .heading = node.kind { body(node); return }
        for child in node.children where child.isBlock { forEachHeading(in: child, body) }
    }

    private mutating func assignIDs(_ node: MarkdownNode, slugger: inout HeadingSlugger, seenCustom: inout Set<String>) -> MarkdownNode {
        var node = node
        if case .heading(let level, let id) = node.kind {
            let text = node.plainText.trimmingSpaces
            let anchor: String
            if id.hasPrefix("#") {
                let custom = String(id.dropFirst())
                anchor = !HeadingSlugger.isReserved(custom) && seenCustom.insert(custom).inserted ? custom : slugger.unique(custom)
            } else {
                anchor = slugger.unique(Slug.githubAnchor(text))
            }
            node.kind = .heading(level: level, id: anchor)
            headings.append(Heading(level: level, id: anchor, text: text, location: node.range.start))
            return node
        }
        if node.isBlock {
            node.children = node.children.map { assignIDs($0, slugger: &slugger, seenCustom: &seenCustom) }
        }
        return node
    }

    private mutating func collect(_ node: MarkdownNode) {
        switch node.kind {
        case .link(let destination, _):
            links.append(Link(destination: destination, isImage: false, location: node.range.start))
            checkURL(destination, at: node.range.start, what: "link")
            let text = node.plainText
            if text.hasPrefix("^") {  // `[^1]` made a link by a definition `[^1]: https://…`
                diagnostics.append(MarkdownDiagnostic(.warning, at: node.range.start,
                    "footnotes are not supported: '[\(text)]' became a link to its definition's URL; write the note in the sentence or in a > [!NOTE] callout"))
            }
        case .image(let source, _):
            links.append(Link(destination: source, isImage: true, location: node.range.start))
            checkURL(source, at: node.range.start, what: "image")
        case .htmlBlock(let html):
            rawHTML.append(RawHTML(html: html, isBlock: true, location: node.range.start))
            if html.hasPrefix("<!--") && !html.contains("-->") {
                diagnostics.append(MarkdownDiagnostic(.warning, at: node.range.start,
                    "this HTML comment is never closed, so everything after it is hidden; add --> where the comment ends"))
            }
        case .htmlInline(let html):
            rawHTML.append(RawHTML(html: html, isBlock: false, location: node.range.start))
        default:
            break
        }
        for child in node.children { collect(child) }
    }

    private mutating func checkURL(_ url: String, at location: SourceLocation, what: String) {
        guard !SafeURL.isAllowed(url) else { return }
        let scheme = SafeURL.scheme(of: url) ?? ""
        diagnostics.append(MarkdownDiagnostic(.error, at: location,
            "\(what) URL with the '\(scheme):' scheme is not allowed and was removed; use an http(s), mailto or tel URL or a relative link"))
    }
}

/// The source text of one cell of a pipe-table row, and the column where it starts.
struct TableCellSource {
    var text: String
    var column: Int

    /// Splits a row at unescaped pipes outside code spans; leading and trailing pipes are optional.
    /// - Returns: nil when the line has no unescaped pipe (not a table row).
    static func split(_ line: [UInt8], from start: Int) -> [TableCellSource]? {
        var cells: [TableCellSource] = []
        var cellStart = start
        var sawPipe = false
        var i = start
        let pipe = UInt8(ascii: "|"), backslash = UInt8(ascii: "\\"), tick = UInt8(ascii: "`")
        if i < line.count, line[i] == pipe { sawPipe = true; i += 1; cellStart = i }
        while i < line.count {
            let byte = line[i]
            if byte == backslash { i += 2; continue }
            if byte == tick {
                var run = 0
                while i + run < line.count, line[i + run] == tick { run += 1 }
                var j = i + run
                var closed = false
                while j < line.count {
                    if line[j] == tick {
                        var other = 0
                        while j + other < line.count, line[j + other] == tick { other += 1 }
                        if other == run { closed = true; j += other; break }
                        j += other
                    } else { j += 1 }
                }
                i = closed ? j : i + run
                continue
            }
            if byte == pipe {
                sawPipe = true
                cells.append(make(line, cellStart, i))
                cellStart = i + 1
            }
            i += 1
        }
        guard sawPipe else { return nil }
        let tail = make(line, cellStart, line.count)
        if !tail.text.isEmpty || cells.isEmpty { cells.append(tail) }
        return cells
    }

    private static func make(_ line: [UInt8], _ from: Int, _ to: Int) -> TableCellSource {
        var start = from, end = min(to, line.count)
        while start < end, line[start] == UInt8(ascii: " ") || line[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, line[end - 1] == UInt8(ascii: " ") || line[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        let raw = String(decoding: line[start..<end], as: UTF8.self)
        return TableCellSource(text: raw.replacingOccurrences(of: "\\|", with: "|"), column: start + 1)
    }

    /// The alignments of a delimiter row (`| :-- | :-: | --: |`), or nil when `cells` is not one.
    static func alignments(_ cells: [TableCellSource], line: [UInt8]) -> [MarkdownNode.TableAlignment]? {
        guard !cells.isEmpty, line.contains(UInt8(ascii: "|")) || cells.count > 1 else { return nil }
        var result: [MarkdownNode.TableAlignment] = []
        for cell in cells {
            var text = Substring(cell.text)
            let left = text.hasPrefix(":"), right = text.hasSuffix(":") && text.count > 1
            if left { text = text.dropFirst() }
            if right { text = text.dropLast() }
            guard !text.isEmpty, text.allSatisfy({ $0 == "-" }) else { return nil }
            result.append(left && right ? .center : left ? .left : right ? .right : .none)
        }
        return result
    }
}

extension MarkdownNode {
    /// The same node with `delta` added to the columns of positions on `line` (for table cells,
    /// parsed on their own and then placed where they stand in the row).
    func shiftingColumns(by delta: Int, onLine line: Int) -> MarkdownNode {
        var node = self
        if node.range.start.line == line { node.range.start.column += delta }
        if node.range.end.line == line { node.range.end.column += delta }
        node.children = node.children.map { $0.shiftingColumns(by: delta, onLine: line) }
        return node
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" || first == "\n" || first == "\r" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\n" || last == "\r" { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
