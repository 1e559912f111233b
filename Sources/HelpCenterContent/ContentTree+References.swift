import HelpCenterMarkdown

/// A link or `related:` entry in an article, and what it points at.
public struct ContentReference: Sendable, Equatable {
    public enum Kind: String, Sendable { case link, image, related }

    /// The content-relative file that holds the reference.
    public var sourcePath: String
    public var location: SourceLocation
    public var kind: Kind
    /// The destination (or `related:` entry) as written.
    public var destination: String
    /// The content-relative path it resolves to (an article, a category folder or a file), or nil
    /// for an external URL, an id (`related: 101002`) or a same-page anchor.
    public var targetPath: String?
    /// The `#fragment`, if any.
    public var fragment: String?
}

extension ContentTree {
    /// Every link, image and `related:` entry of every article, with the content path it resolves to.
    public func references() -> [ContentReference] {
        var byID: [String: String] = [:]
        for article in articles { if let id = article.id, byID[id] == nil { byID[id] = article.sourcePath } }
        var result: [ContentReference] = []
        for article in articles {
            for link in article.document.links where SafeURL.isAllowed(link.destination) {
                var reference = ContentReference(sourcePath: article.sourcePath, location: link.location, kind: link.isImage ? .image : .link,
                                                 destination: link.destination)
                if SafeURL.scheme(of: link.destination) == nil && !link.destination.hasPrefix("//") {
                    let (path, fragment) = Self.splitFragment(link.destination)
                    reference.fragment = fragment
                    if !path.isEmpty { reference.targetPath = Self.normalize(SafeURL.percentDecoded(path), relativeTo: article.folder).map(resolveMarkdownPath) }
                }
                result.append(reference)
            }
            for entry in article.frontMatter.related {
                var reference = ContentReference(sourcePath: article.sourcePath, location: entry.location, kind: .related, destination: entry.reference)
                if byID[entry.reference] == nil {
                    reference.targetPath = [Self.normalize(entry.reference, relativeTo: article.folder), Self.normalize(entry.reference, relativeTo: "")]
                        .compactMap { $0.map(resolveMarkdownPath) }.first { articlePath($0) != nil }
                }
                result.append(reference)
            }
        }
        return result
    }

    /// `path` or `path.md` when that is an article, else `path` as it is.
    private func resolveMarkdownPath(_ path: String) -> String {
        articlePath(path) ?? articlePath(path + ".md") ?? path
    }

    /// The article's source path when `path` is an article's, else nil.
    func articlePath(_ path: String) -> String? {
        articles.contains { $0.sourcePath == path } ? path : nil
    }

    /// `path` as a path inside the content folder: the content folder's own name in front, `./` and a
    /// trailing `/` are dropped (`Content/guides/start.md` → `guides/start.md`).
    public func contentPath(_ path: String) -> String {
        var path = path
        for prefix in [displayRoot + "/", "./"] where path.hasPrefix(prefix) { path.removeFirst(prefix.count) }
        while path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// The references (links, images, `related:` entries, also by id) that point at the article `path`.
    public func references(to path: String) -> [ContentReference] {
        let id = articles.first { $0.sourcePath == path }?.id
        return references().filter { $0.targetPath == path || ($0.kind == .related && $0.targetPath == nil && $0.destination == id) }
    }
}
