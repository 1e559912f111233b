import HelpCenterMarkdown

/// One Markdown article of the help center: its front matter, its parsed body and where it is published.
public struct Article: Sendable {
    /// The file's path inside the content folder, with `/` separators (`account-management/forgot-password.md`).
    public var sourcePath: String
    /// The page title: front matter `title`, else the body's first H1 (then removed from the body),
    /// else the file name.
    public var title: String
    public var frontMatter: FrontMatter
    /// The body, parsed once.
    public var document: MarkdownDocument
    /// The page URL path, starting and ending with `/`, including the site's path prefix
    /// (`/account-management/forgot-password/`); Unicode, not percent-encoded.
    public var url: String
    /// The page's file inside the output folder (`account-management/forgot-password/index.html`).
    public var outputPath: String
    /// The index of the article's category in ``ContentTree/categories``; nil at the content root.
    public var category: Int?
    /// What each link or image destination of the body becomes: a URL, or nil to render the link's
    /// text only (a link to a draft).
    public var resolvedLinks: [String: String?] = [:]
    /// Indices into ``ContentTree/articles``: the `related:` articles, then the most similar ones (at most 5).
    public var related: [Int] = []
    /// A hash of the file's text, for telling within one process whether the body changed (Swift's
    /// `Hasher`: randomly seeded per process, so never stored or compared across runs).
    public var sourceDigest = 0

    public var id: String? { frontMatter.id }
    public var isDraft: Bool { frontMatter.draft }
    /// The file name without `.md`.
    public var fileStem: String {
        let name = sourcePath.split(separator: "/").last.map(String.init) ?? sourcePath
        return name.hasSuffix(".md") ? String(name.dropLast(3)) : name
    }
    /// The folder of the file inside the content folder (`""` at the root).
    public var folder: String {
        guard let slash = sourcePath.lastIndex(of: "/") else { return "" }
        return String(sourcePath[..<slash])
    }
}

/// A category folder (or a section: a category inside a category).
public struct Category: Sendable {
    /// The folder's path inside the content folder (`account-management/password`).
    public var folderPath: String
    /// `_category.yml` `title`, else the folder name.
    public var title: String
    public var summary: String?
    public var order: Int?
    /// The page URL path (`/account-management/password/`), with the site's path prefix.
    public var url: String
    public var outputPath: String
    public var parent: Int?
    /// Indices into ``ContentTree/categories``, in display order.
    public var children: [Int] = []
    /// Indices into ``ContentTree/articles`` of the published articles directly in this folder, in display order.
    public var articles: [Int] = []
    /// 0 for a top-level category, 1 for a section, …
    public var depth: Int
}
