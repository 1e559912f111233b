import Foundation
import HelpCenterContent
import HelpCenterMarkdown
import HelpCenterSearch
import Synchronization

/// Renders a ``ContentTree`` into a static site folder.
///
/// Output: `index.html` (home), one `index.html` per category and article under its pretty URL,
/// `a/<id>/index.html` permalinks and alias redirect pages, `404.html`, `sitemap.xml`, `robots.txt`,
/// `assets/` (theme files) and the files articles reference. The site is written into a temporary
/// folder beside the output and swapped in only when complete, so a failed build leaves the previous
/// output untouched. The same content and theme give byte-identical output.
public struct SiteBuilder {
    /// What a build did, for the one-line summary.
    public struct Summary: Sendable {
        public var pages: Int
        public var articles: Int
        public var categories: Int
        public var warnings: Int
        public var errors: Int
        public var seconds: Double
        /// Files written (a whole site: all of them; an update: those that changed or went away).
        public var written: Int
    }

    /// Errors that stop a build. Content problems are ``Diagnostic``s, not these.
    public enum BuildError: Error, CustomStringConvertible {
        case contentHasErrors(Int)
        case output(path: String, reason: String)
        case unsafeOutput(path: String, reason: String)
        case unreadableFile(path: String, reason: String)

        public var description: String {
            switch self {
            case .contentHasErrors(let count):
                return "error: \(count) error\(count == 1 ? "" : "s") in the content; the previous site was left as it was"
            case .output(let path, let reason):
                return "\(path): error: cannot write the site: \(reason); check that the folder is writable"
            case .unsafeOutput(let path, let reason):
                return "\(path): error: \(reason); nothing was written"
            case .unreadableFile(let path, let reason):
                return "\(path): error: cannot read this file (\(reason)); make it readable; the previous site was left as it was"
            }
        }
    }

    /// The file that marks a folder as written by this builder: only such a folder (or an empty one)
    /// is ever replaced.
    public static let marker = ".helpcenter-site"

    public let tree: ContentTree
    public let theme: Theme

    public init(tree: ContentTree, theme: Theme) {
        self.tree = tree
        self.theme = theme
    }

    /// Builds the site into `output`.
    /// - Parameters:
    ///   - cache: what `serve --watch` keeps between builds. Given a cache that made the site now in
    ///     `output`, the build updates that site in place, making and writing only what changed
    ///     (``Summary/written``); otherwise it writes a whole new site and swaps it in.
    ///   - progress: called with (files written, files in all) while writing a whole site.
    /// - Throws: ``BuildError/contentHasErrors(_:)`` when the tree has errors (nothing is written), or
    ///   ``BuildError/output(path:reason:)`` when the folder cannot be written (a whole-site build keeps
    ///   the previous site; an in-place update may have replaced some files, each whole).
    public func build(into output: URL, cache: BuildCache? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Summary {
        let start = Date()
        let errors = tree.diagnostics.errorCount
        guard errors == 0 else { throw BuildError.contentHasErrors(errors) }
        let output = output.standardizedFileURL
        try checkOutput(output)
        if let cache, cache.built(output) {
            do {
                let written = try update(output, cache: cache)
                return Summary(pages: cache.pageCount, articles: tree.publishedArticles.count, categories: tree.categories.count,
                               warnings: tree.diagnostics.warningCount, errors: 0, seconds: Date().timeIntervalSince(start), written: written)
            } catch let error as BuildError {
                cache.forget()
                throw error
            } catch {
                cache.forget()
                throw BuildError.output(path: output.path, reason: (error as NSError).localizedDescription)
            }
        }
        let fileManager = FileManager.default
        let parent = output.deletingLastPathComponent()
        removeStaleStagingFolders(in: parent, for: output.lastPathComponent)
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).building-\(ProcessInfo.processInfo.processIdentifier)")
        try? fileManager.removeItem(at: staging)
        do {
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
            cache?.forget()
            let (pages, files) = try writeSite(into: staging, cache: cache, progress: progress)
            try swap(staging, into: output)
            cache?.remember(output)
            return Summary(pages: pages, articles: tree.publishedArticles.count, categories: tree.categories.count,
                           warnings: tree.diagnostics.warningCount, errors: 0, seconds: Date().timeIntervalSince(start), written: files)
        } catch let error as BuildError {
            try? fileManager.removeItem(at: staging)
            throw error
        } catch {
            try? fileManager.removeItem(at: staging)
            throw BuildError.output(path: output.path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Writes a stand-in site into `output` when the content has errors and no earlier site exists, so
    /// that `helpcenter serve` can start and show what to fix: `index.html` and `404.html` list
    /// `problems` (escaped), and the ``marker``, dated 1970 so that the next `serve` builds again and
    /// the next build replaces the folder. Does nothing when `output` holds anything already.
    /// - Returns: whether it wrote the stand-in.
    /// - Throws: when the files cannot be written.
    public static func writeProblemsSite(_ problems: [String], title: String, into output: URL) throws -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
        guard entries.isEmpty else { return false }
        let items = problems.map { "<li><code>" + HTMLEscaping.escape($0) + "</code></li>" }.joined(separator: "\n")
        let page = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>The content has problems · \(HTMLEscaping.escape(title))</title></head>
            <body><main><h1>The help center could not be built</h1>
            <p>The content has errors, and there is no earlier site to show. Fix these, save, and the site is built again
            (with <code>serve --watch</code> at once; otherwise run <code>helpcenter build</code> or start <code>serve</code> again):</p>
            <ul>
            \(items)
            </ul></main></body></html>

            """
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        for name in ["index.html", "404.html"] { try Data(page.utf8).write(to: output.appendingPathComponent(name)) }
        let marker = output.appendingPathComponent(Self.marker)
        try Data("A stand-in written by helpcenter serve while the content has errors; replaced by the next build.\n".utf8).write(to: marker)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 0)], ofItemAtPath: marker.path)
        return true
    }

    /// Refuses an output folder that would destroy something that is not an earlier site: the content
    /// folder itself, a folder containing it or inside it, a plain file, or a non-empty folder without
    /// the ``marker``.
    func checkOutput(_ output: URL) throws {
        let out = output.resolvingSymlinksInPath().standardizedFileURL.path
        let content = tree.rootURL.resolvingSymlinksInPath().standardizedFileURL.path
        if out == content || content.hasPrefix(out == "/" ? "/" : out + "/") {
            throw BuildError.unsafeOutput(path: output.path, reason: "the output folder holds the content folder \(tree.displayRoot); choose another --output, such as Site")
        }
        if out.hasPrefix(content + "/") {
            throw BuildError.unsafeOutput(path: output.path, reason: "the output folder is inside the content folder; choose a folder outside it, such as Site")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: output.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw BuildError.unsafeOutput(path: output.path, reason: "a file is in the way of the output folder; remove it or choose another --output")
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
        guard entries.isEmpty || entries.contains(Self.marker) else {
            throw BuildError.unsafeOutput(path: output.path, reason: "this folder was not written by helpcenter build and would be replaced; remove it or choose another --output")
        }
    }

    /// Removes staging folders left by builds that were killed (their process no longer runs).
    private func removeStaleStagingFolders(in parent: URL, for name: String) {
        let prefix = ".\(name).building-"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)), kill(pid, 0) != 0 else { continue }
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(entry))
        }
    }

    /// Replaces `output` by `staging`: the old folder is renamed away first and removed last, so there
    /// is always a complete site at `output` except for the instant between two renames.
    private func swap(_ staging: URL, into output: URL) throws {
        let fileManager = FileManager.default
        let old = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)")
        let hadOutput = fileManager.fileExists(atPath: output.path)
        if hadOutput { try fileManager.moveItem(at: output, to: old) }
        do {
            try fileManager.moveItem(at: staging, to: output)
        } catch {
            if hadOutput { try? fileManager.moveItem(at: old, to: output) }
            throw error
        }
        if hadOutput { try? fileManager.removeItem(at: old) }
    }

    // MARK: - Writing

    /// One file of the site: where it goes, and how to make its bytes.
    struct Output: Sendable {
        var path: String
        /// A hash of everything the file is made from (per process), when that is cheaper to know
        /// than the bytes: an update skips making a file whose key did not change.
        var key: Int? = nil
        /// Whether it is an HTML page (counted in the summary).
        var isPage = true
        var make: @Sendable () -> Data
    }

    /// Every file of the site, in a fixed order: pages, the search index, theme and content assets.
    func outputs(cache: BuildCache?) throws -> [Output] {
        let renderer = PageRenderer(tree: tree, theme: theme)
        let published = tree.publishedArticles
        let context = Self.key(tree.config, theme.digest)
        // The home, search and 404 pages are few and cheap: always made, written only when their bytes changed.
        var outputs: [Output] = [
            Output(path: "index.html") { Data(renderer.home().utf8) },
            Output(path: "404.html") { Data(renderer.notFound().utf8) },
            Output(path: "search/index.html") { Data(renderer.search().utf8) },
        ]
        for index in tree.categories.indices where tree.hasPublishedArticles(inCategory: index) {
            let model = renderer.categoryPage(index)
            outputs.append(Output(path: tree.categories[index].outputPath, key: cache == nil ? nil : Self.key(context, model)) {
                Data(renderer.category(model).utf8)
            })
        }
        outputs += ParallelMap.map(published) { [tree] index in
            let article = tree.articles[index]
            // Without a cache the model is made when the page is written, so that the models of all pages are never held at once.
            guard cache != nil else { return Output(path: article.outputPath) { Data(renderer.article(index).utf8) } }
            let model = renderer.articleModel(index)
            let key = Self.key(context, model, article.sourceDigest, article.resolvedLinks)
            return Output(path: article.outputPath, key: key) { Data(renderer.article(index, model: model).utf8) }
        }
        for (path, target) in tree.redirects.sorted(by: { $0.key < $1.key }) {
            outputs.append(Output(path: path, key: cache == nil ? nil : Self.key(context, target)) { Data(renderer.redirect(to: target).utf8) })
        }
        let redirects = Self.redirectTable(tree)
        var files: [(String, Data)] = [
            ("_redirects", Data(redirects.netlifyRules().utf8)),
            (RedirectTable.fileName, redirects.json()),
            ("sitemap.xml", Data(Sitemap(tree: tree).xml().utf8)),
            ("robots.txt", Data("User-agent: *\nAllow: /\nSitemap: \(tree.config.baseURL)/sitemap.xml\n".utf8)),
            (Self.marker, Data("Written by helpcenter build; this whole folder is replaced by the next build.\n".utf8)),
        ]
        let index = searchIndex(published, cache: cache)
        cache?.searchIndex = index
        files += index.files(cache: cache?.search).map { ("search/" + $0.path, $0.data) }
        files += theme.assets.sorted(by: { $0.key < $1.key }).map { ("assets/" + $0.key, $0.value) }
        for (source, destination) in tree.assets.sorted(by: { $0.key < $1.key }) {
            do {
                files.append((destination, try Data(contentsOf: tree.rootURL.appendingPathComponent(source))))
            } catch {
                throw BuildError.unreadableFile(path: tree.displayPath(source), reason: (error as NSError).localizedDescription)
            }
        }
        return outputs + files.map { path, data in Output(path: path, isPage: false) { data } }
    }

    static func key(_ parts: any Hashable...) -> Int {
        var hasher = Hasher()
        for part in parts { hasher.combine(AnyHashable(part)) }
        return hasher.finalize()
    }

    /// Makes and writes every output into an empty `folder`, on all cores; returns the number of pages.
    private func writeSite(into folder: URL, cache: BuildCache?, progress: (@Sendable (Int, Int) -> Void)?) throws -> (pages: Int, files: Int) {
        let outputs = try outputs(cache: cache)
        let writer = OutputFolder(root: folder)
        let done = Atomic<Int>(0)
        // Digests only for a cache (the next update compares against them): hashing every byte written costs.
        let digesting = cache != nil
        let results = ParallelMap.map(outputs) { output -> Result<Int, Error> in
            let data = output.make()
            defer {
                let count = done.add(1, ordering: .relaxed).newValue
                if count % 64 == 0 || count == outputs.count { progress?(count, outputs.count) }
            }
            return Result { try writer.write(data, to: output.path); return digesting ? OutputFolder.digest(data) : 0 }
        }
        var digests: [String: Int] = [:]
        for (output, result) in zip(outputs, results) { digests[output.path] = try result.get() }
        cache?.remember(outputs, digests: digests)
        return (outputs.count(where: \.isPage), outputs.count)
    }

    /// Brings the site in `folder`, last built with `cache`, up to date in place: makes only the
    /// outputs whose key changed, writes only those whose bytes changed (each file replaced whole, by
    /// a rename, so the server never reads half a page) and removes the files no longer produced.
    /// - Returns: the number of files written or removed.
    private func update(_ folder: URL, cache: BuildCache) throws -> Int {
        let outputs = try outputs(cache: cache)
        let writer = OutputFolder(root: folder)
        let results = ParallelMap.map(outputs) { output -> Result<(digest: Int, written: Bool), Error> in
            if let key = output.key, let digest = cache.digest(of: output.path, ifKey: key) { return .success((digest, false)) }
            let data = output.make()
            let digest = OutputFolder.digest(data)
            if cache.digest(of: output.path) == digest { return .success((digest, false)) }
            return Result { try writer.replace(data, at: output.path); return (digest, true) }
        }
        var digests: [String: Int] = [:]
        var changes = 0
        for (output, result) in zip(outputs, results) {
            let (digest, written) = try result.get()
            digests[output.path] = digest
            if written { changes += 1 }
        }
        for path in cache.paths where digests[path] == nil {
            try writer.remove(path)
            changes += 1
        }
        cache.remember(outputs, digests: digests)
        return changes
    }

    /// The permanent redirects (`/a/<id>/` permalinks and `aliases`), paths encoded as browsers send
    /// them: written as `_redirects.json` (read by `helpcenter serve`) and as `_redirects` (`from to 301`
    /// lines, read by Netlify and Cloudflare Pages).
    static func redirectTable(_ tree: ContentTree) -> RedirectTable {
        RedirectTable(redirects: tree.redirects.map { path, target in
            let from = tree.config.pathPrefix + "/" + (path.hasSuffix("index.html") ? String(path.dropLast("index.html".count)) : path)
            return RedirectTable.Rule(from: SitePath.encoded(from), to: SitePath.encoded(target))
        })
    }

    /// The search index of the published articles, from the same parsed documents as the pages.
    /// - Parameter cache: documents of articles whose text, title, URL and categories did not change
    ///   are taken from it (the same strings: the index's cache then compares them at no cost).
    func searchIndex(_ published: [Int], cache: BuildCache? = nil) -> SearchIndex {
        let categoryTitles = Self.key(tree.categories.map(\.title))
        let documents = ParallelMap.map(published) { [tree] index in
            let article = tree.articles[index]
            guard let cache else { return SearchDocument(article: article, in: tree) }
            let key = Self.key(article.sourceDigest, article.title, article.url, article.category, categoryTitles)
            return cache.searchDocument(for: article.sourcePath, key: key) { SearchDocument(article: article, in: tree) }
        }
        let categories = tree.topCategories.filter { tree.hasPublishedArticles(inCategory: $0) }.map {
            SearchIndex.Category(title: tree.categories[$0].title, url: tree.categories[$0].url)
        }
        return SearchIndex(documents: documents, categories: categories, cache: cache?.search)
    }
}
