import CCmark

/// Parses CommonMark 0.30 with the system libcmark and converts its C tree into ``MarkdownNode`` values.
///
/// This file is the only place that calls `cmark_*`. The C tree is walked with `cmark_iter`
/// (no recursion, so hostile nesting cannot overflow the stack), copied eagerly, and freed with `defer`.
/// Parsing uses `CMARK_OPT_SOURCEPOS` and keeps raw HTML in the tree (the renderer decides what to do
/// with it), with smart punctuation off and libcmark's UTF-8 validation on.
public enum CommonMarkConverter {
    /// Nodes nested deeper than this are unwrapped: their children are kept, attached to the
    /// deepest allowed ancestor, so no text is lost and later recursive passes stay shallow.
    public static let maximumNesting = 64

    /// The result of a conversion: the tree and the number of nodes unwrapped for nesting too deep.
    public struct Result: Sendable {
        public var root: MarkdownNode
        public var unwrappedNodes: Int
        /// Where the first unwrapped node started, if any.
        public var firstUnwrapped: SourceLocation?
    }

    /// Parses `markdown` (UTF-8 text, any line endings) into a document node.
    ///
    /// - Parameters:
    ///   - markdown: the Markdown source, without front matter.
    ///   - lineOffset: added to every line number, so positions refer to the whole file when the
    ///     source started after a front-matter block.
    /// - Returns: the document tree, with adjacent text nodes merged. Never throws: every input is
    ///   valid CommonMark.
    public static func parse(_ markdown: String, lineOffset: Int = 0) -> Result {
        var source = markdown
        let document: OpaquePointer? = source.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parse_document(chars.baseAddress, chars.count, CMARK_OPT_SOURCEPOS | CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8)
            }
        }
        guard let document else {
            return Result(root: MarkdownNode(.document), unwrappedNodes: 0, firstUnwrapped: nil)
        }
        defer { cmark_node_free(document) }
        return convert(document, lineOffset: lineOffset)
    }

    private static func convert(_ document: OpaquePointer, lineOffset: Int) -> Result {
        guard let iterator = cmark_iter_new(document) else {
            return Result(root: MarkdownNode(.document), unwrappedNodes: 0, firstUnwrapped: nil)
        }
        defer { cmark_iter_free(iterator) }

        // `stack` holds the open containers being filled; `pushed` says, for each entered
        // container in cmark's tree, whether it has its own entry in `stack` or was unwrapped.
        var stack: [MarkdownNode] = []
        var pushed: [Bool] = []
        var unwrapped = 0
        var firstUnwrapped: SourceLocation?
        var root = MarkdownNode(.document)

        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            switch event {
            case CMARK_EVENT_ENTER:
                let value = makeNode(node, lineOffset: lineOffset)
                if isLeaf(node) {
                    append(value, to: &stack)
                } else if stack.count < maximumNesting || stack.isEmpty {
                    stack.append(value)
                    pushed.append(true)
                } else {
                    unwrapped += 1
                    if firstUnwrapped == nil { firstUnwrapped = value.range.start }
                    pushed.append(false)
                }
            case CMARK_EVENT_EXIT:
                guard pushed.removeLast() else {
                    // An unwrapped block (a paragraph or item past the limit) still ends a word: its
                    // text must not run into the next block's ("item 63item 64").
                    if cmark_node_get_type(node).rawValue <= CMARK_NODE_LAST_BLOCK.rawValue {
                        append(MarkdownNode(.softBreak), to: &stack)
                    }
                    continue
                }
                let finished = stack.removeLast()
                if stack.isEmpty {
                    root = finished
                } else {
                    append(finished, to: &stack)
                }
            default:
                continue
            }
        }
        return Result(root: root, unwrappedNodes: unwrapped, firstUnwrapped: firstUnwrapped)
    }

    /// Appends a finished node to the innermost open container, merging adjacent text nodes
    /// (libcmark splits text at every special character it considered).
    private static func append(_ node: MarkdownNode, to stack: inout [MarkdownNode]) {
        let index = stack.count - 1
        if case .text(let next) = node.kind, let last = stack[index].children.last, case .text(let previous) = last.kind {
            let count = stack[index].children.count
            stack[index].children[count - 1].kind = .text(previous + next)
            stack[index].children[count - 1].range.end = node.range.end
        } else {
            stack[index].children.append(node)
        }
    }

    private static func isLeaf(_ node: OpaquePointer) -> Bool {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT, CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE,
             CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK, CMARK_NODE_THEMATIC_BREAK:
            return true
        default:
            return false
        }
    }

    private static func makeNode(_ node: OpaquePointer, lineOffset: Int) -> MarkdownNode {
        let range = SourceRange(
            start: SourceLocation(line: Int(cmark_node_get_start_line(node)) + lineOffset, column: max(1, Int(cmark_node_get_start_column(node)))),
            end: SourceLocation(line: Int(cmark_node_get_end_line(node)) + lineOffset, column: max(1, Int(cmark_node_get_end_column(node))))
        )
        let kind: MarkdownNode.Kind
        switch cmark_node_get_type(node) {
        case CMARK_NODE_DOCUMENT: kind = .document
        case CMARK_NODE_BLOCK_QUOTE: kind = .blockQuote
        case CMARK_NODE_LIST:
            let tight = cmark_node_get_list_tight(node) != 0
            if cmark_node_get_list_type(node) == CMARK_ORDERED_LIST {
                kind = .orderedList(start: Int(cmark_node_get_list_start(node)), tight: tight)
            } else {
                kind = .bulletList(tight: tight)
            }
        case CMARK_NODE_ITEM: kind = .item
        case CMARK_NODE_CODE_BLOCK: kind = .codeBlock(info: string(cmark_node_get_fence_info(node)), literal: literal(node))
        case CMARK_NODE_HTML_BLOCK: kind = .htmlBlock(literal(node))
        case CMARK_NODE_PARAGRAPH: kind = .paragraph
        case CMARK_NODE_HEADING: kind = .heading(level: Int(cmark_node_get_heading_level(node)), id: "")
        case CMARK_NODE_THEMATIC_BREAK: kind = .thematicBreak
        case CMARK_NODE_TEXT: kind = .text(literal(node))
        case CMARK_NODE_SOFTBREAK: kind = .softBreak
        case CMARK_NODE_LINEBREAK: kind = .lineBreak
        case CMARK_NODE_CODE: kind = .code(literal(node))
        case CMARK_NODE_HTML_INLINE: kind = .htmlInline(literal(node))
        case CMARK_NODE_EMPH: kind = .emphasis
        case CMARK_NODE_STRONG: kind = .strong
        case CMARK_NODE_LINK: kind = .link(destination: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)))
        case CMARK_NODE_IMAGE: kind = .image(source: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)))
        default: kind = .paragraph // custom blocks and inlines: libcmark's parser never produces them
        }
        return MarkdownNode(kind, range: range)
    }

    private static func literal(_ node: OpaquePointer) -> String { string(cmark_node_get_literal(node)) }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }
}
