import Foundation
import HelpCenterMarkdown

/// The whole help center as read from a content folder: settings, categories, articles, assets and
/// every diagnostic found on the way.
///
/// Loading never throws for content problems: they become ``Diagnostic``s, all at once. Each article is
/// read and parsed exactly once.
public struct ContentTree: Sendable {
    public var config: SiteConfig
    /// The content folder as given (used to print diagnostic paths).
    public var displayRoot: String
    public var rootURL: URL
    /// Categories in display order, parents before their children.
    public var categories: [Category] = []
    /// Every article, drafts included, sorted by source path.
    public var articles: [Article] = []
    /// Indices of the top-level categories, in display order.
    public var topCategories: [Int] = []
    /// Files referenced by articles (images, attachments): content-relative source path → output path.
    public var assets: [String: String] = [:]
    /// Redirects: old output path (`old/page/index.html`) → target URL. From `aliases` and `/a/<id>/` permalinks.
    public var redirects: [String: String] = [:]
    public var diagnostics: [Diagnostic] = []
    /// Output path → the content path that produces it (pages, permalinks, aliases).
    var outputOwners: [String: String] = [:]

    /// Articles that are built (not drafts), in display order: category by category.
    public var publishedArticles: [Int] {
        var result = topCategories.flatMap { publishedArticles(inSubtree: $0) }
        let listed = Set(result)
        result += articles.indices.filter { !articles[$0].isDraft && !listed.contains($0) }
        return result
    }

    /// The published articles of a category and of the categories below it, in display order:
    /// the category's own articles, then each section's.
    public func publishedArticles(inSubtree index: Int) -> [Int] {
        categories[index].articles + categories[index].children.flatMap { publishedArticles(inSubtree: $0) }
    }

    /// Whether the category, or a category below it, lists a published article (empty ones get no page).
    public func hasPublishedArticles(inCategory index: Int) -> Bool {
        !categories[index].articles.isEmpty || categories[index].children.contains { hasPublishedArticles(inCategory: $0) }
    }

    /// The path an editor sees for a content file, for diagnostics.
    public func displayPath(_ sourcePath: String) -> String {
        Self.join(displayRoot, sourcePath)
    }

    /// Reads the content folder at `root`.
    ///
    /// - Parameter root: the content folder (`Content/`): `site.yml`, category folders with optional
    ///   `_category.yml`, and `.md` articles. Names starting with `.` and the theme folder are skipped.
    ///   - cache: parsed articles of an earlier load of the same folder (`serve --watch`): an article whose
    ///     file has the same size and modification time is taken from it instead of being read and
    ///     parsed again; the cache is then updated with this load's files.
    /// - Throws: only when `root` is not a readable folder (`CocoaError`); content problems are diagnostics.
    public static func load(from root: String, cache: ContentCache? = nil) throws -> ContentTree {
        let rootURL = URL(fileURLWithPath: root, isDirectory: true).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootURL.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: root])
        }
        var tree = ContentTree(config: SiteConfig(), displayRoot: root, rootURL: rootURL)
        if FileManager.default.fileExists(atPath: rootURL.appendingPathComponent("site.yml").path),
           !isSymbolicLink(rootURL.appendingPathComponent("site.yml").path), let text = tree.readText("site.yml") {
            let (config, diagnostics) = SiteConfig.parse(text, path: tree.displayPath("site.yml"))
            tree.config = config
            tree.diagnostics += diagnostics
            if let theme = config.theme {
                tree.checkThemeFolder(theme)
            }
        }
        var files: [ContentCache.SourceFile] = []
        var allFiles: Set<String> = []
        tree.scan(folder: "", parent: nil, depth: -1, files: &files, allFiles: &allFiles)
        tree.loadArticles(files, cache: cache)
        tree.placeArticles()
        tree.sortCategories()
        tree.checkURLs()
        tree.resolveLinks(allFiles: allFiles, cache: cache)
        tree.resolveRelated(cache: cache)
        tree.diagnostics.sort()
        return tree
    }

    /// The settings of the content folder `root` from its `site.yml` alone (defaults when it is
    /// missing or unreadable; problems are not reported), without reading the articles.
    public static func loadConfig(from root: String) -> SiteConfig {
        let path = join(root, "site.yml")
        guard !isSymbolicLink(path), let text = readText(URL(fileURLWithPath: path), displayPath: path).0 else { return SiteConfig() }
        return SiteConfig.parse(text, path: path).0
    }

    // MARK: - Reading folders

    private mutating func scan(folder: String, parent: Int?, depth: Int, files: inout [ContentCache.SourceFile], allFiles: inout Set<String>) {
        let url = folder.isEmpty ? rootURL : rootURL.appendingPathComponent(folder, isDirectory: true)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
        } catch {
            diagnostics.append(Diagnostic(.error, displayPath(folder.isEmpty ? "." : folder), SourceLocation(line: 1, column: 1),
                "cannot read this folder (\(Self.reason(error))); make it readable or move it out of the content folder"))
            return
        }
        var categoryIndex = parent
        if !folder.isEmpty {
            categoryIndex = addCategory(folder: folder, parent: parent, depth: depth, names: names)
        }
        for name in names where !name.hasPrefix(".") {
            let path = folder.isEmpty ? name : folder + "/" + name
            let attributes = try? FileManager.default.attributesOfItem(atPath: url.appendingPathComponent(name).path)
            switch attributes?[.type] as? FileAttributeType {
            case .typeDirectory?:
                guard path != config.theme else { continue }
                scan(folder: path, parent: categoryIndex, depth: depth + 1, files: &files, allFiles: &allFiles)
            case .typeRegular?:
                allFiles.insert(path)
                if name.hasSuffix(".md") {
                    files.append(ContentCache.SourceFile(path: path, size: (attributes?[.size] as? NSNumber)?.intValue ?? -1,
                                                         modified: (attributes?[.modificationDate] as? Date) ?? .distantPast))
                }
            case .typeSymbolicLink?:
                diagnostics.append(Diagnostic(.warning, displayPath(path), SourceLocation(line: 1, column: 1),
                    "symbolic link skipped: only files and folders inside the content folder are published; copy the file here instead"))
            default:
                continue
            }
        }
    }

    /// The text of a content file; unreadable files are errors, invalid UTF-8 a warning (decoded with U+FFFD).
    mutating func readText(_ path: String) -> String? {
        let (text, diagnostic) = Self.readText(rootURL.appendingPathComponent(path), displayPath: displayPath(path))
        if let diagnostic { diagnostics.append(diagnostic) }
        return text
    }

    static func readText(_ url: URL, displayPath: String) -> (String?, Diagnostic?) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return (nil, Diagnostic(.error, displayPath, SourceLocation(line: 1, column: 1),
                "cannot read this file (\(reason(error))); make it readable or remove it"))
        }
        if let text = String(data: data, encoding: .utf8) { return (text, nil) }
        return (String(decoding: data, as: UTF8.self), Diagnostic(.warning, displayPath, SourceLocation(line: 1, column: 1),
            "the file is not valid UTF-8; invalid bytes are shown as \u{FFFD}; save it as UTF-8"))
    }

    /// Why a build of this tree failed, for people: its errors as `path:line:col: error: …` lines,
    /// sorted, then `error` (the theme's, the builder's) last.
    public func failureLines(_ error: any Error) -> [String] {
        diagnostics.filter { $0.severity == .error }.sorted().map(\.description) + ["\(error)"]
    }

    /// Whether `path` is a symbolic link (skipped everywhere: only files inside the content folder count).
    static func isSymbolicLink(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType == .typeSymbolicLink
    }

    static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        return underlying?.localizedDescription ?? (error as NSError).localizedDescription
    }

    /// The theme folder must be a real folder inside the content folder.
    private mutating func checkThemeFolder(_ theme: String) {
        let resolved = rootURL.appendingPathComponent(theme).resolvingSymlinksInPath().standardizedFileURL.path
        let root = rootURL.resolvingSymlinksInPath().standardizedFileURL.path
        guard let normalized = Self.normalize(theme, relativeTo: ""), !normalized.isEmpty, resolved.hasPrefix(root + "/") else {
            diagnostics.append(Diagnostic(.error, displayPath("site.yml"), SourceLocation(line: 1, column: 1),
                "theme '\(theme)' must name a folder inside the content folder, e.g. theme: theme"))
            config.theme = nil
            return
        }
        config.theme = normalized
    }

    private mutating func addCategory(folder: String, parent: Int?, depth: Int, names: [String]) -> Int {
        let name = folder.split(separator: "/").last.map(String.init) ?? folder
        var category = Category(folderPath: folder, title: name, url: "", outputPath: "", parent: parent, depth: depth)
        // A symbolic link is skipped here as everywhere (the scan warns about it), never read.
        let categoryFile = rootURL.appendingPathComponent(folder + "/_category.yml").path
        if names.contains("_category.yml"),
           (try? FileManager.default.attributesOfItem(atPath: categoryFile))?[.type] as? FileAttributeType == .typeRegular {
            let path = folder + "/_category.yml"
            if let text = readText(path) {
                do {
                    let yaml = try YAMLMapping(parsing: text.replacingCRLF(), lineOffset: 0)
                    if let title = yaml.string("title")?.trimmed, !title.isEmpty { category.title = title }
                    category.summary = yaml.string("summary")?.trimmed
                    category.order = yaml.int("order")
                } catch let error as YAMLError {
                    diagnostics.append(Diagnostic(.error, displayPath(path), error.location, error.message))
                } catch {
                    diagnostics.append(Diagnostic(.error, displayPath(path), SourceLocation(line: 1, column: 1), "\(error)"))
                }
            }
        }
        let segments = folder.split(separator: "/").map { Self.segment(String($0), fallback: "category") }
        category.url = config.pathPrefix + "/" + segments.map { $0 + "/" }.joined()
        category.outputPath = segments.map { $0 + "/" }.joined() + "index.html"
        categories.append(category)
        let index = categories.count - 1
        if let parent { categories[parent].children.append(index) } else { topCategories.append(index) }
        return index
    }

    /// Reads and parses every article (or takes it from `cache` when its file did not change), in
    /// parallel; results are placed by index, so the order (and the output) does not depend on scheduling.
    private mutating func loadArticles(_ files: [ContentCache.SourceFile], cache: ContentCache?) {
        let results = ParallelMap.map(files) { [rootURL, config, displayRoot] file -> (Article, [Diagnostic]) in
            if let cached = cache?.article(for: file, config: config) { return cached }
            let readStart = Date()
            let result = Self.readArticle(file.path, rootURL: rootURL, displayPath: Self.join(displayRoot, file.path), config: config)
            cache?.store(result, for: file, config: config, readStart: readStart)
            return result
        }
        cache?.keep(Set(files.map(\.path)))
        for (article, diagnostics) in results {
            articles.append(article)
            self.diagnostics += diagnostics
        }
    }

    static func join(_ root: String, _ path: String) -> String {
        root.hasSuffix("/") ? root + path : root + "/" + path
    }

    static func readArticle(_ path: String, rootURL: URL, displayPath: String, config: SiteConfig) -> (Article, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let (read, readDiagnostic) = readText(rootURL.appendingPathComponent(path), displayPath: displayPath)
        diagnostics += readDiagnostic.map { [$0] } ?? []
        let text = read ?? ""
        let (frontMatter, body, offset, frontDiagnostics) = FrontMatter.split(text, path: displayPath)
        diagnostics += frontDiagnostics
        var document = MarkdownDocument(parsing: body, lineOffset: offset)
        var title = frontMatter.title ?? ""
        if title.isEmpty, let heading = document.removeFirstTitleHeading(), !heading.isEmpty {
            title = heading
        }
        let stem = String(path.split(separator: "/").last!.dropLast(3))
        if title.isEmpty {
            title = stem
            if read != nil && frontDiagnostics.allSatisfy({ $0.severity != .error }) {  // a broken front matter is reported once, as itself
                diagnostics.append(Diagnostic(.warning, displayPath, SourceLocation(line: 1, column: 1),
                    "missing title: using the file name '\(stem)'; add 'title: …' to the front matter or start the body with '# Title'"))
            }
        }
        diagnostics += (document.diagnostics + document.rawHTMLDiagnostics(policy: config.rawHTML)).map {
            Diagnostic($0.severity, displayPath, $0.location, $0.message)
        }
        let segments = path.split(separator: "/").dropLast().map { segment(String($0), fallback: "category") } + [segment(stem, fallback: "article")]
        var article = Article(sourcePath: path, title: title, frontMatter: frontMatter, document: document,
                              url: config.pathPrefix + "/" + segments.map { $0 + "/" }.joined(),
                              outputPath: segments.map { $0 + "/" }.joined() + "index.html")
        article.sourceDigest = text.hashValue
        return (article, diagnostics)
    }

    /// The URL segment of a file or folder name; `fallback` when the name has no letters or digits
    /// (so a folder named `!!!` never publishes over its parent's page).
    static func segment(_ name: String, fallback: String) -> String {
        let slug = Slug.pathSegment(name)
        return slug.isEmpty ? fallback : slug
    }

    // MARK: - Placing and ordering

    private mutating func placeArticles() {
        var categoryByFolder: [String: Int] = [:]
        for (index, category) in categories.enumerated() { categoryByFolder[category.folderPath] = index }
        for index in articles.indices {
            let folder = articles[index].folder
            articles[index].category = categoryByFolder[folder]
            if let category = categoryByFolder[folder] {
                if !articles[index].isDraft { categories[category].articles.append(index) }
            } else if !articles[index].isDraft {
                diagnostics.append(Diagnostic(.warning, displayPath(articles[index].sourcePath), SourceLocation(line: 1, column: 1),
                    "this article is outside every category and is listed on no page; move it into a category folder"))
            }
        }
        for index in categories.indices {
            categories[index].articles.sort { lhs, rhs in
                let a = articles[lhs], b = articles[rhs]
                if a.frontMatter.featured != b.frontMatter.featured { return a.frontMatter.featured }
                return (a.frontMatter.order ?? Int.max, a.title, a.sourcePath) < (b.frontMatter.order ?? Int.max, b.title, b.sourcePath)
            }
        }
    }

    private mutating func sortCategories() {
        let key: (Int) -> (Int, String, String) = { [categories] in
            (categories[$0].order ?? Int.max, categories[$0].title, categories[$0].folderPath)
        }
        topCategories.sort { key($0) < key($1) }
        for index in categories.indices { categories[index].children.sort { key($0) < key($1) } }
    }
}

/// Runs a transform over an array on all cores and returns the results in input order.
public enum ParallelMap {
    public static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        let results = ResultBox<R>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            results.set(index, transform(items[index]))
        }
        return results.values.map { $0! }
    }

    private final class ResultBox<R>: @unchecked Sendable {
        var values: [R?]
        private let lock = NSLock()
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: R) {
            lock.lock()
            values[index] = value
            lock.unlock()
        }
    }
}
