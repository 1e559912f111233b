import Foundation
import HelpCenterContent
import HelpCenterMarkdown

/// What the index knows of one published article: the text of its fields and of its sections, taken
/// from the same parsed document the page is rendered from (no second Markdown parse).
public struct SearchDocument: Sendable, Codable, Hashable {
    /// A part of the article under one heading (the first part, before any heading, has no anchor).
    public struct Section: Sendable, Codable, Hashable {
        public var heading: String
        /// The heading's anchor (`step-2-…`), empty for the introduction.
        public var anchor: String
        /// The section's plain text, blocks separated by newlines.
        public var text: String

        public init(heading: String, anchor: String, text: String) {
            self.heading = heading
            self.anchor = anchor
            self.text = text
        }
    }

    public var title: String
    public var url: String
    /// Category titles from the top-level category down to the article's own.
    public var categories: [String]
    public var summary: String
    public var tags: [String]
    public var sections: [Section]

    /// The most sections one article is split into; later headings join the last section.
    public static let maximumSections = 30

    public init(title: String, url: String, categories: [String], summary: String, tags: [String], sections: [Section]) {
        self.title = title
        self.url = url
        self.categories = categories
        self.summary = summary
        self.tags = tags
        self.sections = sections
    }

    /// Extracts the fields of a published article of `tree`.
    public init(article: Article, in tree: ContentTree) {
        var categories: [String] = []
        var current = article.category
        while let index = current {
            categories.insert(tree.categories[index].title, at: 0)
            current = tree.categories[index].parent
        }
        var sections = [Section(heading: "", anchor: "", text: "")]
        for block in article.document.root.children {
            if case .heading(_, let id) = block.kind, sections.count < Self.maximumSections {
                sections.append(Section(heading: block.plainText.trimmingCharacters(in: .whitespacesAndNewlines), anchor: id, text: ""))
                continue
            }
            let text: String
            if case .heading = block.kind {
                text = block.plainText
            } else {
                text = Self.text(of: block)
            }
            guard !text.isEmpty else { continue }
            let last = sections.count - 1
            sections[last].text += sections[last].text.isEmpty ? text : "\n" + text
        }
        if sections[0].text.isEmpty && sections.count > 1 { sections.removeFirst() }
        self.init(title: article.title, url: article.url, categories: categories, summary: article.frontMatter.summary ?? "",
                  tags: article.frontMatter.tags, sections: sections)
    }

    /// Plain text of a block, with line breaks between its child blocks and table cells. Inline
    /// nodes can stand in a container too (blocks nested past ``CommonMarkConverter/maximumNesting``
    /// are flattened into their text): their text is kept, a word apart from the blocks around it.
    static func text(of node: MarkdownNode) -> String {
        if !node.isBlock { return node.plainText.trimmingCharacters(in: .whitespaces) }
        switch node.kind {
        case .paragraph, .heading, .codeBlock, .tableCell:
            return node.plainText
        case .htmlBlock, .thematicBreak:
            return ""
        default:
            let separator: String
            if case .tableRow = node.kind { separator = " " } else { separator = "\n" }
            return node.children.map { text(of: $0) }.filter { !$0.isEmpty }.joined(separator: separator)
        }
    }
}
