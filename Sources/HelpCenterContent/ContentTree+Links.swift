import Foundation
import HelpCenterMarkdown

extension ContentTree {
    // MARK: - URLs, ids, permalinks and aliases

    /// Checks that ids and URLs are unique, and records the `/a/<id>/` permalinks and `aliases` redirects.
    mutating func checkURLs() {
        var owners: [String: String] = [:]  // output path → source path that claimed it
        func claim(_ outputPath: String, by source: String, at location: SourceLocation, what: String) -> Bool {
            if Self.isReserved(outputPath) {
                diagnostics.append(Diagnostic(.error, displayPath(source), location,
                    "\(what) /\(outputPath) would replace a file the build writes itself (home page, 404 page, sitemap, robots.txt, assets/, search/); choose another path"))
                return false
            }
            if let owner = owners[outputPath] {
                diagnostics.append(Diagnostic(.error, displayPath(source), location,
                    "duplicate URL: \(what) /\(outputPath.dropLast("index.html".count)) is also produced by \(displayPath(owner)); rename one of the files or folders"))
                return false
            }
            owners[outputPath] = source
            return true
        }
        defer { outputOwners = owners }
        let origin = SourceLocation(line: 1, column: 1)
        for (index, category) in categories.enumerated() where hasPublishedArticles(inCategory: index) {
            _ = claim(category.outputPath, by: category.folderPath + "/", at: origin, what: "the category page")
        }
        var ids: [String: Int] = [:]
        for (index, article) in articles.enumerated() {
            _ = claim(article.outputPath, by: article.sourcePath, at: origin, what: "the page")
            guard let id = article.id else { continue }
            let location = article.frontMatter.locations["id"] ?? origin
            if let other = ids[id] {
                diagnostics.append(Diagnostic(.error, displayPath(article.sourcePath), location,
                    "duplicate id '\(id)': \(displayPath(articles[other].sourcePath)) has it too; ids must be unique, give this article another"))
            } else {
                ids[id] = index
            }
        }
        for (id, index) in ids.sorted(by: { $0.key < $1.key }) where !articles[index].isDraft {
            let output = "a/" + id + "/index.html"  // ids are letters, digits, "-" and "_"
            if claim(output, by: articles[index].sourcePath, at: articles[index].frontMatter.locations["id"] ?? origin, what: "the permalink") {
                redirects[output] = articles[index].url
            }
        }
        for article in articles where !article.isDraft {
            for alias in article.frontMatter.aliases {
                let output: String
                do {
                    output = try aliasOutputPath(alias.path)
                } catch {
                    diagnostics.append(Diagnostic(.error, displayPath(article.sourcePath), alias.location,
                        "alias '\(SitePath.visible(alias.path))' is not a path on this site: \(error); write the old URL's path, e.g. /old-category/old-title/"))
                    continue
                }
                if claim(output, by: article.sourcePath, at: alias.location, what: "the alias") {
                    redirects[output] = article.url
                }
            }
        }
    }

    /// `/old/page/`, `old/page`, `https://<base>/old/page/` or `/old/page.html` → the output file path.
    /// - Throws: ``SitePath/Problem`` when the alias is not a same-site path (``SitePath/redirectSource(_:)``)
    ///   or names a file that is not a page (`.notAPage`).
    private func aliasOutputPath(_ alias: String) throws(SitePath.Problem) -> String {
        var path = alias
        if path == config.baseURL || path.hasPrefix(config.baseURL + "/") { path = String(path.dropFirst(config.baseURL.count)) }
        let prefix = config.pathPrefix
        if !prefix.isEmpty, path.hasPrefix(prefix + "/") { path = String(path.dropFirst(prefix.count)) }
        let segments = try SitePath.redirectSource(path)
        if let last = segments.last, last.hasSuffix(".html") || last.hasSuffix(".htm") {
            return segments.joined(separator: "/")
        }
        if let last = segments.last, last.contains(".") { throw .notAPage }  // a redirect page can only stand at a page URL
        return segments.joined(separator: "/") + "/index.html"
    }

    // MARK: - Links in bodies

    /// Resolves every link and image of every article: `.md` files to their page URLs, folders to
    /// category pages, other files to copied assets, `#anchors` checked against the target's headings.
    ///
    /// With a `cache` from the previous load, an article is resolved again only when its text changed,
    /// an article it links to changed what links see of it (URL, draft, headings), or the rest of
    /// the site did (files, categories, claimed URLs, settings); otherwise its last result is reused.
    mutating func resolveLinks(allFiles: Set<String>, cache: ContentCache? = nil) {
        let articleByPath = Dictionary(articles.enumerated().map { ($1.sourcePath, $0) }, uniquingKeysWith: { _, last in last })
        let categoryByFolder = Dictionary(categories.enumerated().map { ($1.folderPath, $0) }, uniquingKeysWith: { _, last in last })
        // What a cached resolution depends on; made only when there is a cache to use or fill.
        var world = 0
        var facts: [String: Int] = [:]
        if cache != nil {
            var hasher = Hasher()
            hasher.combine(displayRoot)
            hasher.combine(config)
            hasher.combine(allFiles)
            hasher.combine(categories.map { [$0.folderPath, $0.url] })
            hasher.combine(outputOwners)
            world = hasher.finalize()
            facts = Dictionary(uniqueKeysWithValues: articles.map { ($0.sourcePath, Self.linkFacts($0)) })
        }
        let previous = cache?.linkEntries(world: world) ?? [:]

        // Each article on its own, in parallel; diagnostics and assets are then added in article order.
        let entries = ParallelMap.map(Array(articles.indices)) { [self, facts] index -> ContentCache.LinkEntry in
            let article = articles[index]
            if let entry = previous[article.sourcePath], entry.sourceDigest == article.sourceDigest,
               entry.dependencies.allSatisfy({ facts[$0.key] == $0.value }) {
                return entry
            }
            let path = displayPath(article.sourcePath)
            var entry = ContentCache.LinkEntry(sourceDigest: article.sourceDigest, dependencies: [:], resolved: [:], diagnostics: [], assets: [])
            for link in article.document.links where entry.resolved[link.destination] == nil {
                guard SafeURL.isAllowed(link.destination) else { continue }
                let target = Self.linkedPath(link.destination, from: article.folder)
                let result = resolve(link, target: target, in: article, articleByPath: articleByPath, categoryByFolder: categoryByFolder, allFiles: allFiles)
                switch result.target {
                case .url(let url): entry.resolved[link.destination] = .some(url)
                case .textOnly: entry.resolved[link.destination] = .some(nil)
                case .asWritten: break
                }
                if let diagnostic = result.diagnostic {
                    entry.diagnostics.append(Diagnostic(diagnostic.severity, path, link.location, diagnostic.message))
                }
                if let asset = result.asset { entry.assets.append(asset) }
                if cache != nil, let target {
                    for candidate in [target, target + ".md"] { entry.dependencies[candidate] = facts[candidate] }
                }
            }
            return entry
        }
        for (index, entry) in entries.enumerated() {
            articles[index].resolvedLinks = entry.resolved
            diagnostics += entry.diagnostics
            for (source, output) in entry.assets { assets[source] = output }
        }
        cache?.storeLinks(Dictionary(uniqueKeysWithValues: zip(articles.map(\.sourcePath), entries)), world: world)
    }

    /// What a link to `article` depends on: whether it is a draft, its URL and its headings' anchors.
    static func linkFacts(_ article: Article) -> Int {
        var hasher = Hasher()
        hasher.combine(article.isDraft)
        hasher.combine(article.url)
        hasher.combine(article.document.headings.map(\.id))
        return hasher.finalize()
    }

    /// The content path a relative link names (before `#` and `?`, percent-decoded, resolved against
    /// `folder`); nil for URLs with a scheme, anchors in the same page and paths leaving the folder.
    static func linkedPath(_ destination: String, from folder: String) -> String? {
        if SafeURL.scheme(of: destination) != nil || destination.hasPrefix("//") { return nil }
        let (pathPart, _) = splitFragment(destination)
        guard !pathPart.isEmpty else { return nil }
        return normalize(SafeURL.percentDecoded(pathPart), relativeTo: folder)
    }

    /// Where a link goes, and what to report about it.
    private struct LinkResolution {
        enum Target {
            case url(String)
            /// Render the link's text only (a link to a draft).
            case textOnly
            /// Keep the destination as written (a missing file).
            case asWritten
        }

        var target: Target
        var diagnostic: MarkdownDiagnostic?
        /// A file the link publishes: content path → output path.
        var asset: (source: String, output: String)?

        static func url(_ url: String, _ diagnostic: MarkdownDiagnostic? = nil) -> LinkResolution { LinkResolution(target: .url(url), diagnostic: diagnostic) }
        static func textOnly(_ diagnostic: MarkdownDiagnostic) -> LinkResolution { LinkResolution(target: .textOnly, diagnostic: diagnostic) }
        static func asWritten(_ diagnostic: MarkdownDiagnostic) -> LinkResolution { LinkResolution(target: .asWritten, diagnostic: diagnostic) }
    }

    /// - Parameter target: ``linkedPath(_:from:)`` of the link.
    private func resolve(_ link: MarkdownDocument.Link, target: String?, in article: Article, articleByPath: [String: Int],
                                  categoryByFolder: [String: Int], allFiles: Set<String>) -> LinkResolution {
        let destination = link.destination
        let at = link.location
        if SafeURL.scheme(of: destination) != nil || destination.hasPrefix("//") { return .url(destination) }
        let (pathPart, fragment) = Self.splitFragment(destination)
        if pathPart.isEmpty {
            guard let fragment, !fragment.isEmpty else { return .url(destination) }
            if article.document.headings.contains(where: { $0.id == fragment }) { return .url(destination) }
            return .asWritten(MarkdownDiagnostic(.warning, at: at,
                "broken anchor '#\(fragment)': no heading of this article has that id; headings: \(Self.anchorList(article.document))"))
        }
        guard let target else {
            return .asWritten(MarkdownDiagnostic(.error, at: at, "broken link '\(destination)': it points outside the content folder; link to a file inside it"))
        }
        let suffix = fragment.map { "#" + $0 } ?? ""
        if let index = articleByPath[target] ?? articleByPath[target + ".md"] {
            let linked = articles[index]
            if linked.isDraft && !article.isDraft {
                return .textOnly(MarkdownDiagnostic(.warning, at: at,
                    "link to the draft '\(displayPath(linked.sourcePath))' is shown as text until that article is published"))
            }
            if let fragment, !fragment.isEmpty, !linked.document.headings.contains(where: { $0.id == fragment }) {
                return .url(linked.url, MarkdownDiagnostic(.warning, at: at,
                    "broken anchor '#\(fragment)' in '\(destination)': no heading of \(displayPath(linked.sourcePath)) has that id, so the link opens the top of the page; headings: \(Self.anchorList(linked.document))"))
            }
            return .url(linked.url + suffix)
        }
        var folder = target
        if folder.hasSuffix("/index.md") { folder = String(folder.dropLast("/index.md".count)) }
        if folder == "index.md" || folder.isEmpty { return .url(config.pathPrefix + "/" + suffix) }
        if let index = categoryByFolder[folder] { return .url(categories[index].url + suffix) }
        if allFiles.contains(target), !target.hasSuffix(".md"), !target.hasSuffix(".yml") {
            let fileName = target.split(separator: "/").last.map(String.init) ?? target
            let output = target.split(separator: "/").dropLast().map { Self.segment(String($0), fallback: "category") + "/" }.joined() + fileName
            let type = fileName.split(separator: ".").last.map { $0.lowercased() } ?? ""
            guard Self.publishableFileTypes.contains(type) || (config.rawHTML == .trusted && Self.activeFileTypes.contains(type)) else {
                return .asWritten(MarkdownDiagnostic(.error, at: at,
                    "'\(destination)' is a .\(type) file, which is not published: pages, scripts and SVG could run code on the site (only with raw_html: trusted); link to an image, PDF or other document"))
            }
            if Self.isReserved(output) || outputOwners[output] != nil {
                return .asWritten(MarkdownDiagnostic(.error, at: at,
                    "'\(destination)' would be published at /\(output), where the build writes a page of its own; rename the file"))
            }
            return LinkResolution(target: .url(config.pathPrefix + "/" + output + suffix), asset: (target, output))
        }
        // A link that names an article (`.md`) or a folder (`/`) is an error; any other relative link
        // (an image, an attachment, an extensionless path) may point at something served beside the
        // site, so it is kept as written, with a warning.
        if !(pathPart.hasSuffix(".md") || pathPart.hasSuffix("/")) || link.isImage {
            return .asWritten(MarkdownDiagnostic(.warning, at: at,
                "missing \(link.isImage ? "image" : "file") '\(destination)': no file \(displayPath(target)); add the file or fix the path"))
        }
        let base = pathPart.hasPrefix("/") ? "the content folder" : "this file"
        return .asWritten(MarkdownDiagnostic(.error, at: at,
            "broken link '\(destination)': no article, category or file \(displayPath(target)); fix the path (relative to \(base)) or create the article"))
    }

    /// File types copied when an article links to them: images, documents, archives, media.
    static let publishableFileTypes: Set<String> = [
        "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "bmp", "pdf", "txt", "csv", "zip", "gz", "doc", "docx",
        "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "mp3", "mp4", "webm", "ogg", "wav", "json",
    ]
    /// File types that can run script in a browser: published only under `raw_html: trusted`.
    /// (XML too: an XML file holding XHTML runs its `<script>` in the site's origin.) `helpcenter serve`
    /// sends the XML kinds with a sandboxing CSP even then.
    static let activeFileTypes: Set<String> = ["html", "htm", "svg", "js", "css", "xhtml", "xml", "xsl", "xslt"]

    /// Output paths the build writes itself, which no page, alias or file may take.
    static func isReserved(_ outputPath: String) -> Bool {
        ["index.html", "404.html", "sitemap.xml", "robots.txt", "_redirects", RedirectTable.fileName].contains(outputPath)
            || outputPath.split(separator: "/").first.map { SitePath.reservedFirstSegments.contains(String($0)) } == true
    }

    static func splitFragment(_ destination: String) -> (path: String, fragment: String?) {
        var path = destination
        var fragment: String?
        if let hash = path.firstIndex(of: "#") {
            fragment = SafeURL.percentDecoded(String(path[path.index(after: hash)...]))
            path = String(path[..<hash])
        }
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        return (path, fragment)
    }

    private static func anchorList(_ document: MarkdownDocument) -> String {
        let ids = document.headings.prefix(8).map { "#" + $0.id }
        return ids.isEmpty ? "(none)" : ids.joined(separator: ", ") + (document.headings.count > 8 ? ", …" : "")
    }

    /// Resolves `path` against `folder` (both content-relative; a leading `/` means the content root),
    /// folding `.` and `..`. - Returns: nil when the result would leave the content folder.
    public static func normalize(_ path: String, relativeTo folder: String) -> String? {
        var parts: [Substring] = path.hasPrefix("/") ? [] : folder.split(separator: "/")
        for part in path.split(separator: "/") {
            switch part {
            case ".", "": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default:
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    // MARK: - Related articles

    /// Fills ``Article/related``: the `related:` entries (ids or paths; unknown ones are errors),
    /// then the most similar published articles up to five (``RelatedArticles``).
    ///
    /// With a `cache` from the previous load of the same articles and categories, only the articles a
    /// change can reach are scored again: the changed ones, those sharing a tag or a counting term with
    /// their old or new version, those of their top-level category whose lists were filled in from it
    /// (in its order), and those whose `related:` entries now name other articles. The rest keep their lists.
    mutating func resolveRelated(cache: ContentCache? = nil) {
        var byID: [String: Int] = [:]
        var byPath: [String: Int] = [:]
        for (index, article) in articles.enumerated() {
            if let id = article.id, byID[id] == nil { byID[id] = index }
            byPath[article.sourcePath] = index
        }
        var explicit: [[Int]] = Array(repeating: [], count: articles.count)
        for (index, article) in articles.enumerated() {
            for entry in article.frontMatter.related {
                let reference = entry.reference
                let target = byID[reference]
                    ?? Self.normalize(reference, relativeTo: article.folder).flatMap { byPath[$0] ?? byPath[$0 + ".md"] }
                    ?? Self.normalize(reference, relativeTo: "").flatMap { byPath[$0] ?? byPath[$0 + ".md"] }
                guard let target else {
                    diagnostics.append(Diagnostic(.error, displayPath(article.sourcePath), entry.location,
                        "unknown related article '\(reference)': write an article id or a path to a .md file (relative to this file or to the content folder)"))
                    continue
                }
                if target == index { continue }
                if articles[target].isDraft {
                    if !article.isDraft {
                        diagnostics.append(Diagnostic(.warning, displayPath(article.sourcePath), entry.location,
                            "related article '\(reference)' is a draft and is left out until it is published"))
                    }
                    continue
                }
                if !explicit[index].contains(target) { explicit[index].append(target) }
            }
        }
        let similar = RelatedArticles(tree: self)
        let count = articles.count
        // What the lists of a cached load depend on; made only when there is a cache to use or fill.
        var worldKey = 0
        var inputs: [Int] = []
        if cache != nil {
            var world = Hasher()
            world.combine(articles.map(\.sourcePath))
            world.combine(categories.map { [$0.folderPath, $0.title, String($0.order ?? Int.min), $0.parent.map(String.init) ?? ""] })
            worldKey = world.finalize()
            inputs = articles.map(Self.relatedInputs)
        }
        let memory = cache?.related(world: worldKey)
        // nil: every article is scored.
        var reached: Set<Int>?
        if let memory {
            var set: Set<Int> = []
            for index in articles.indices where memory.explicit[index] != explicit[index] { set.insert(index) }
            let changed = articles.indices.filter { memory.inputs[$0] != inputs[$0] }
            for index in changed {
                set.insert(index)
                for tag in memory.tags[index].union(similar.tags[index]) { set.formUnion(similar.tagPostings[tag] ?? []) }
                // A term counts only in at most `termLimit` articles. The changed articles moved a term's
                // count by at most their number, so a term now in more than `termLimit + changed.count`
                // articles counted neither before nor now; any other may have, before or now.
                for term in memory.terms[index].union(similar.terms[index]) {
                    let postings = similar.allTermPostings[term] ?? []
                    if postings.count <= similar.termLimit + changed.count { set.formUnion(postings) }
                }
                // Lists filled in from the category follow its order, which titles and `order` change.
                if var top = articles[index].category {
                    while let parent = categories[top].parent { top = parent }
                    set.formUnion(publishedArticles(inSubtree: top).filter { memory.filledIn[$0] })
                }
            }
            reached = set
        }
        // In parallel, by batches that each reuse one scratch array of scores.
        let batches = stride(from: 0, to: count, by: 256).map { $0..<min($0 + 256, count) }
        let related = ParallelMap.map(batches) { [articles, explicit, reached] batch in
            var scores = [Int](repeating: 0, count: count)
            return batch.map { index -> (related: [Int], filledIn: Bool) in
                if let memory, reached?.contains(index) == false { return (memory.related[index], memory.filledIn[index]) }
                return articles[index].isDraft ? ([], false) : similar.fill(explicit[index], for: index, upTo: RelatedArticles.count, scores: &scores)
            }
        }.flatMap { $0 }
        for index in articles.indices { articles[index].related = related[index].related }
        cache?.storeRelated(ContentCache.RelatedMemory(world: worldKey, inputs: inputs, terms: similar.terms, tags: similar.tags,
                                                       explicit: explicit, related: related.map(\.related), filledIn: related.map(\.filledIn)))
    }

    /// What an article's related list and its place in others' lists depend on, besides its path.
    static func relatedInputs(_ article: Article) -> Int {
        var hasher = Hasher()
        hasher.combine(article.title)
        hasher.combine(article.frontMatter.summary)
        hasher.combine(article.frontMatter.tags)
        hasher.combine(article.isDraft)
        hasher.combine(article.id)
        hasher.combine(article.frontMatter.featured)
        hasher.combine(article.frontMatter.order)
        return hasher.finalize()
    }
}
