/// What to do with raw HTML written in Markdown (the `raw_html` option of `site.yml`).
public enum RawHTMLPolicy: String, Sendable, CaseIterable {
    /// Keep allowed tags and attributes (``HTMLSanitizer``); the default.
    case sanitize
    /// Leave every raw HTML node out.
    case drop
    /// Pass raw HTML through as written: only for content whose every author is trusted.
    case trusted
}

/// Renders a ``MarkdownDocument`` to HTML.
///
/// Output follows libcmark's HTML writer for CommonMark 0.30 nodes, plus: headings carry their anchor
/// and a visible self-link, pipe tables, callouts, and link destinations mapped through `resolveLink`.
/// URLs outside ``SafeURL``'s policy never reach the output: such a link renders as its text, such an
/// image as its description.
public struct HTMLRenderer: Sendable {
    public var rawHTML: RawHTMLPolicy
    /// Maps a link or image destination as written to the URL to emit (e.g. `../faq.md#x` → `/faq/#x`),
    /// or nil to render only the link's text (the image's description). Called only for destinations
    /// ``SafeURL`` allows.
    public var resolveLink: @Sendable (_ destination: String, _ isImage: Bool) -> String?

    public init(rawHTML: RawHTMLPolicy = .sanitize,
                resolveLink: @escaping @Sendable (_ destination: String, _ isImage: Bool) -> String? = { destination, _ in destination }) {
        self.rawHTML = rawHTML
        self.resolveLink = resolveLink
    }

    /// The body HTML of `document` (UTF-8 text, one block per line as libcmark writes it).
    public func render(_ document: MarkdownDocument) -> String {
        var out = ""
        for child in document.root.children { render(child, into: &out, tight: false) }
        if rawHTML == .sanitize && !document.rawHTML.isEmpty {
            return HTMLSanitizer.sanitize(out).html
        }
        return out
    }

    /// Renders inline content only (for a heading's or a table cell's text elsewhere).
    public func renderInlines(_ nodes: [MarkdownNode]) -> String {
        var out = ""
        for node in nodes { render(node, into: &out, tight: false) }
        return out
    }

    private func render(_ node: MarkdownNode, into out: inout String, tight: Bool) {
        switch node.kind {
        case .document:
            renderChildren(node, into: &out)
        case .paragraph:
            if tight {
                renderChildren(node, into: &out)
            } else {
                out += "<p>"
                renderChildren(node, into: &out)
                out += "</p>\n"
            }
        case .heading(let level, let id):
            let text = HTMLEscaping.escape(node.plainText.trimmingSpaces)
            out += "<h\(level) id=\"\(HTMLEscaping.escape(id))\">"
            renderChildren(node, into: &out)
            out += "<a class=\"anchor\" href=\"#\(SafeURL.encodeForAttribute(id))\" aria-label=\"Link to this section: \(text)\">#</a></h\(level)>\n"
        case .blockQuote:
            out += "<blockquote>\n"
            renderChildren(node, into: &out)
            out += "</blockquote>\n"
        case .callout(let kind):
            out += "<div class=\"callout callout-\(kind.rawValue)\" role=\"note\">\n<p class=\"callout-title\">\(kind.title)</p>\n"
            renderChildren(node, into: &out)
            out += "</div>\n"
        case .bulletList(let isTight):
            out += "<ul>\n"
            for item in node.children { render(item, into: &out, tight: isTight) }
            out += "</ul>\n"
        case .orderedList(let start, let isTight):
            out += start == 1 ? "<ol>\n" : "<ol start=\"\(start)\">\n"
            for item in node.children { render(item, into: &out, tight: isTight) }
            out += "</ol>\n"
        case .item:
            out += "<li>"
            for (index, child) in node.children.enumerated() {
                if !(tight && child.kind == .paragraph) && index == 0 { out += "\n" }
                render(child, into: &out, tight: tight)
            }
            out += "</li>\n"
        case .codeBlock(let info, let literal):
            let language = info.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            out += language.isEmpty ? "<pre><code>" : "<pre><code class=\"language-\(HTMLEscaping.escape(language))\">"
            out += HTMLEscaping.escape(literal)
            out += "</code></pre>\n"
        case .htmlBlock(let html):
            switch rawHTML {
            case .drop: break
            case .trusted, .sanitize: out += html
            }
        case .thematicBreak:
            out += "<hr />\n"
        case .table(let alignments):
            renderTable(node, alignments: alignments, into: &out)
        case .tableRow, .tableCell:
            renderChildren(node, into: &out)
        case .text(let text):
            out += HTMLEscaping.escape(text)
        case .softBreak:
            out += "\n"
        case .lineBreak:
            out += "<br />\n"
        case .code(let code):
            out += "<code>" + HTMLEscaping.escape(code) + "</code>"
        case .htmlInline(let html):
            switch rawHTML {
            case .drop: break
            case .trusted: out += html
            case .sanitize:
                out += RawHTMLTag.isPlaceholder(html) ? HTMLEscaping.escape(html) : html
            }
        case .emphasis:
            out += "<em>"
            renderChildren(node, into: &out)
            out += "</em>"
        case .strong:
            out += "<strong>"
            renderChildren(node, into: &out)
            out += "</strong>"
        case .link(let destination, let title):
            guard SafeURL.isAllowed(destination), let href = resolveLink(destination, false) else {
                renderChildren(node, into: &out)
                return
            }
            out += "<a href=\"\(SafeURL.encodeForAttribute(href))\""
            if !title.isEmpty { out += " title=\"\(HTMLEscaping.escape(title))\"" }
            out += ">"
            renderChildren(node, into: &out)
            out += "</a>"
        case .image(let source, let title):
            let alt = HTMLEscaping.escape(node.plainText)
            guard SafeURL.isAllowed(source), let src = resolveLink(source, true) else {
                out += alt
                return
            }
            out += "<img src=\"\(SafeURL.encodeForAttribute(src))\" alt=\"\(alt)\""
            if !title.isEmpty { out += " title=\"\(HTMLEscaping.escape(title))\"" }
            out += " />"
        }
    }

    private func renderChildren(_ node: MarkdownNode, into out: inout String) {
        for child in node.children { render(child, into: &out, tight: false) }
    }

    private func renderTable(_ table: MarkdownNode, alignments: [MarkdownNode.TableAlignment], into out: inout String) {
        // Focusable and named, so keyboard users can scroll a wide table (WCAG 2.1.1; axe scrollable-region-focusable).
        out += "<div class=\"table-wrapper\" tabindex=\"0\" role=\"region\" aria-label=\"Table\"><table>\n"
        var inBody = false
        for row in table.children {
            guard case .tableRow(let header) = row.kind else { continue }
            if header {
                out += "<thead>\n"
            } else if !inBody {
                out += "<tbody>\n"
                inBody = true
            }
            out += "<tr>\n"
            let tag = header ? "th" : "td"
            for (column, cell) in row.children.enumerated() {
                let alignment = column < alignments.count ? alignments[column] : .none
                out += alignment == .none ? "<\(tag)>" : "<\(tag) class=\"align-\(alignment.rawValue)\">"
                renderChildren(cell, into: &out)
                out += "</\(tag)>\n"
            }
            out += "</tr>\n"
            if header { out += "</thead>\n" }
        }
        if inBody { out += "</tbody>\n" }
        out += "</table></div>\n"
    }
}

/// Reads the tag name of one raw inline HTML node (`<span class=x>`, `</em>`, `<!-- c -->`).
enum RawHTMLTag {
    /// The lowercased element name, or nil for comments, declarations and processing instructions.
    static func name(_ html: String) -> String? {
        var scalars = html.unicodeScalars.dropFirst()  // "<"
        if scalars.first == "/" { scalars = scalars.dropFirst() }
        let name = scalars.prefix { $0.properties.isASCIIHexDigit || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        return name.isEmpty ? nil : String(String.UnicodeScalarView(name)).lowercased()
    }

    /// Whether the node is a placeholder like `<your name>` or `<region>`: a tag-shaped text that
    /// names no HTML element, which is shown as text rather than removed.
    static func isPlaceholder(_ html: String) -> Bool {
        guard let name = name(html) else { return false }
        return !HTMLSanitizer.isKnownElement(name)
    }
}
