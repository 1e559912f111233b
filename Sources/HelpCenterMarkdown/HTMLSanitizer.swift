import CLibXML2

/// Cleans HTML through an allow-list of tags, attributes and URL schemes, using libxml2's HTML parser
/// (a real HTML parser, never regular expressions) and re-serialising the parsed tree.
///
/// The allow-list follows GitHub's (html-pipeline `SanitizationFilter`), less the attributes that
/// HTML5 made obsolete and `target`: `<script>`, `<style>`, `<iframe>`, `<object>` and similar are
/// removed with their content; other tags outside the list are removed and their content kept;
/// `on*` handlers, `style` and unknown attributes are removed; `href`, `src` and `cite` must pass
/// ``SafeURL``; `class` keeps only the values the renderer itself produces.
/// This file is the only place that calls libxml2.
public enum HTMLSanitizer {
    /// What sanitizing removed, for diagnostics: `<script>`, `onclick` attribute, …
    public struct Result: Sendable, Equatable {
        public var html: String
        public var removed: [String]
    }

    public static let allowedTags: Set<String> = [
        "h1", "h2", "h3", "h4", "h5", "h6", "br", "b", "i", "strong", "em", "a", "pre", "code", "img", "div", "ins",
        "del", "sup", "sub", "p", "ol", "ul", "table", "thead", "tbody", "tfoot", "blockquote", "dl", "dt", "dd",
        "kbd", "q", "samp", "var", "hr", "ruby", "rt", "rp", "li", "tr", "td", "th", "s", "summary", "details",
        "caption", "figure", "figcaption", "abbr", "bdo", "cite", "dfn", "mark", "small", "span", "time", "wbr", "u",
    ]

    /// Tags removed together with everything inside them.
    public static let droppedWithContent: Set<String> = [
        "script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "select", "option",
        "title", "head", "svg", "math", "frameset", "frame", "noembed", "noframes", "xmp", "plaintext", "applet",
        "base", "link", "meta", "button", "input",
    ]

    static let allowedAttributes: Set<String> = [
        "abbr", "alt", "aria-describedby", "aria-hidden", "aria-label", "aria-labelledby", "cite", "colspan",
        "datetime", "dir", "headers", "height", "hreflang", "id", "itemprop", "label", "lang", "open", "rel",
        "reversed", "role", "rowspan", "scope", "span", "start", "tabindex", "title", "type", "value", "width",
        "href", "src", "class",
    ]

    /// `class` values the renderer writes; a raw-HTML `class` keeps only these.
    static let allowedClasses: Set<String> = Set([
        "anchor", "callout", "callout-title", "table-wrapper", "align-left", "align-center", "align-right",
    ] + MarkdownNode.CalloutKind.allCases.map { "callout-\($0.rawValue)" })

    static let voidTags: Set<String> = ["br", "hr", "img", "wbr"]
    static let urlAttributes: Set<String> = ["href", "src", "cite"]

    /// Sanitizes an HTML fragment (UTF-8).
    /// - Returns: well-formed HTML using only allowed markup, and a list of what was removed.
    public static func sanitize(_ html: String) -> Result {
        let wrapped = "<div>" + html + "</div>"
        let options = Int32(HTML_PARSE_NOIMPLIED.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_NODEFDTD.rawValue | XML_PARSE_HUGE.rawValue)
        let count = Int32(clamping: wrapped.utf8.count)
        xmlResetLastError()
        guard let document = wrapped.withCString({ htmlReadMemory($0, count, nil, "UTF-8", options) }) else {
            return Result(html: HTMLEscaping.escape(html), removed: ["unparsable HTML (shown as text)"])
        }
        defer { xmlFreeDoc(document) }
        // libxml2 stops at its nesting limit and drops the rest of the input: never lose text silently.
        if let error = xmlGetLastError(), error.pointee.code == XML_ERR_INTERNAL_ERROR.rawValue {
            return Result(html: "<p>" + HTMLEscaping.escape(html) + "</p>", removed: ["HTML nested too deeply (shown as text)"])
        }
        var writer = Writer()
        // The first top-level `div` is the wrapper added above: only its children are written.
        var node = document.pointee.children
        var unwrapped = false
        while let current = node {
            if !unwrapped, current.pointee.type == XML_ELEMENT_NODE, name(of: current) == "div" {
                unwrapped = true
                if let first = current.pointee.children { writer.walk(first, followingSiblings: true) }
            } else {
                writer.walk(current, followingSiblings: false)
            }
            node = current.pointee.next
        }
        return Result(html: writer.out, removed: writer.removed)
    }

    /// Whether `name` is an element HTML defines (HTML4 as libxml2 knows it, plus the allow-list).
    /// Raw inline HTML such as `<your name>` is not, and is shown as text instead of being removed.
    public static func isKnownElement(_ name: String) -> Bool {
        let lower = name.lowercased()
        if allowedTags.contains(lower) || droppedWithContent.contains(lower) { return true }
        return lower.withCString { pointer in
            pointer.withMemoryRebound(to: xmlChar.self, capacity: lower.utf8.count + 1) { htmlTagLookup($0) != nil }
        }
    }

    fileprivate static func name(of node: UnsafeMutablePointer<xmlNode>) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name).lowercased()
    }

    /// Elements nested deeper than this are not written; their text is kept (the same limit as
    /// Markdown's, ``CommonMarkConverter/maximumNesting``, times four for HTML's wrapper elements).
    public static let maximumDepth = CommonMarkConverter.maximumNesting * 4

    /// Writes a parsed tree as sanitized HTML. The walk is iterative (an explicit stack of closing
    /// tags), so its stack use does not grow with the input's nesting: tens of thousands of nested
    /// elements cannot overflow a thread's stack.
    private struct Writer {
        var out = ""
        /// What was removed, each kind once, in order of first appearance.
        var removed: [String] = []
        private var noted: Set<String> = []
        /// Elements written and not yet closed.
        private var depth = 0
        /// One entry per element or node being walked below the walk's start: the closing tag to
        /// write when leaving it, or nil when nothing was opened for it.
        private var closers: [String?] = []

        private mutating func note(_ what: String) {
            if noted.insert(what).inserted { removed.append(what) }
        }

        /// Writes `first` with its descendants, and then its following siblings when asked.
        mutating func walk(_ first: UnsafeMutablePointer<xmlNode>, followingSiblings: Bool) {
            let base = closers.count
            var current: UnsafeMutablePointer<xmlNode>? = first
            while let node = current {
                if enter(node) {
                    if let child = node.pointee.children { current = child; continue }
                    leave()
                }
                // Done with `node`: on to its next sibling, closing each ancestor left on the way up.
                var finished = node
                current = nil
                while true {
                    if closers.count == base {
                        current = followingSiblings ? finished.pointee.next : nil
                        break
                    }
                    if let next = finished.pointee.next { current = next; break }
                    guard let parent = finished.pointee.parent else { break }
                    finished = parent
                    leave()
                }
            }
        }

        /// Writes what comes before `node`'s children. Returns true when its children are to be
        /// walked (an entry was pushed on ``closers``), false when the node is done.
        private mutating func enter(_ node: UnsafeMutablePointer<xmlNode>) -> Bool {
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { out += HTMLEscaping.escape(String(cString: content)) }
                return false
            case XML_COMMENT_NODE:
                return false
            case XML_ELEMENT_NODE:
                let tag = HTMLSanitizer.name(of: node)
                if HTMLSanitizer.droppedWithContent.contains(tag) {
                    note("<\(tag)>")
                    return false
                }
                guard HTMLSanitizer.allowedTags.contains(tag) else {
                    note("<\(tag)>")
                    closers.append(nil)
                    return true
                }
                guard depth < HTMLSanitizer.maximumDepth else {
                    note("elements nested deeper than \(HTMLSanitizer.maximumDepth) levels (text kept)")
                    closers.append(nil)
                    return true
                }
                out += "<" + tag
                var attribute = node.pointee.properties
                while let current = attribute {
                    writeAttribute(current, of: tag)
                    attribute = current.pointee.next
                }
                out += ">"
                guard !HTMLSanitizer.voidTags.contains(tag) else { return false }
                depth += 1
                closers.append("</" + tag + ">")
                return true
            default:
                closers.append(nil)
                return true
            }
        }

        private mutating func leave() {
            if let closer = closers.removeLast() {
                out += closer
                depth -= 1
            }
        }

        private mutating func writeAttribute(_ attribute: UnsafeMutablePointer<xmlAttr>, of tag: String) {
            let name = String(cString: attribute.pointee.name).lowercased()
            var value = ""
            if let text = attribute.pointee.children, let content = text.pointee.content {
                value = String(cString: content)
            }
            guard HTMLSanitizer.allowedAttributes.contains(name) else {
                note("\(name) attribute")
                return
            }
            if HTMLSanitizer.urlAttributes.contains(name) {
                guard SafeURL.isAllowed(value) else {
                    note("\(name) URL with the '\(SafeURL.scheme(of: value) ?? ""):' scheme")
                    return
                }
                out += " \(name)=\"\(SafeURL.encodeForAttribute(value))\""
                return
            }
            if name == "class" {
                let kept = value.split(separator: " ").filter { HTMLSanitizer.allowedClasses.contains(String($0)) || $0.hasPrefix("language-") }
                if kept.count < value.split(separator: " ").count { note("class '\(value)'") }
                guard !kept.isEmpty else { return }
                value = kept.joined(separator: " ")
            }
            out += " \(name)=\"\(HTMLEscaping.escape(value))\""
        }
    }
}
