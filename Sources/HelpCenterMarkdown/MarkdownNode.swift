/// One node of a parsed Markdown document, converted from libcmark's tree into a Swift value.
///
/// The kinds are CommonMark 0.30's, plus the help center's extensions built on that tree:
/// GFM pipe tables and GitHub-style callouts (`> [!NOTE]`).
public struct MarkdownNode: Sendable, Equatable {
    /// Column alignment of a pipe table, from its delimiter row (`:--`, `:-:`, `--:`).
    public enum TableAlignment: String, Sendable, Equatable {
        case none, left, center, right
    }

    /// The five callout kinds of GitHub's alert syntax.
    public enum CalloutKind: String, Sendable, Equatable, CaseIterable {
        case note, tip, important, warning, caution

        /// The title shown above the callout's body ("Note", "Tip", ...).
        public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    public enum Kind: Sendable, Equatable {
        case document
        case blockQuote
        case bulletList(tight: Bool)
        case orderedList(start: Int, tight: Bool)
        case item
        case codeBlock(info: String, literal: String)
        case htmlBlock(String)
        case paragraph
        /// A heading; `id` is empty until ``MarkdownDocument`` assigns the anchor.
        case heading(level: Int, id: String)
        case thematicBreak
        case text(String)
        case softBreak
        case lineBreak
        case code(String)
        case htmlInline(String)
        case emphasis
        case strong
        case link(destination: String, title: String)
        case image(source: String, title: String)
        case table(alignments: [TableAlignment])
        case tableRow(header: Bool)
        case tableCell
        case callout(CalloutKind)
    }

    public var kind: Kind
    public var children: [MarkdownNode]
    public var range: SourceRange

    public init(_ kind: Kind, children: [MarkdownNode] = [], range: SourceRange = .unknown) {
        self.kind = kind
        self.children = children
        self.range = range
    }

    /// The text a reader sees, without markup: text, code spans and image descriptions
    /// concatenated; line breaks become one space.
    public var plainText: String {
        var out = ""
        appendPlainText(to: &out)
        return out
    }

    func appendPlainText(to out: inout String) {
        switch kind {
        case .text(let s), .code(let s): out += s
        case .softBreak, .lineBreak: out += " "
        case .codeBlock(_, let literal): out += literal
        case .htmlInline(let html): if RawHTMLTag.isPlaceholder(html) { out += html }
        default:
            for child in children { child.appendPlainText(to: &out) }
        }
    }

    /// Whether this node is a block (container or leaf block) rather than an inline.
    public var isBlock: Bool {
        switch kind {
        case .document, .blockQuote, .bulletList, .orderedList, .item, .codeBlock, .htmlBlock, .paragraph,
             .heading, .thematicBreak, .table, .tableRow, .tableCell, .callout:
            return true
        default:
            return false
        }
    }
}
