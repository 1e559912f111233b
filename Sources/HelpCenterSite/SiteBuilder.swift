import Foundation
import HelpCenterContent
import HelpCenterMarkdown
import HelpCenterSearch

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
    /// - Parameter progress: called with (pages written, pages in all) while rendering.
    /// - Throws: ``BuildError/contentHasErrors(_:)`` when the tree has errors (nothing is written), or
    ///   ``BuildError/output(path:reason:)`` when the folder cannot be written (the previous one is kept).
    public func build(into output: URL, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Summary {
        let start = Date()
        let errors = tree.diagnostics.errorCount
        guard errors == 0 else { throw BuildError.contentHasErrors(errors) }
        let output = output.standardizedFileURL
        try checkOutput(output)
        let fileManager = FileManager.default
        let parent = output.deletingLastPathComponent()
        removeStaleStagingFolders(in: parent, for: output.lastPathComponent)
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).building-\(ProcessInfo.processInfo.processIdentifier)")
        try? fileManager.removeItem(at: staging)
        do {
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
            let pages = try writeSite(into: staging, progress: progress)
            try swap(staging, into: output)
            return Summary(pages: pages, articles: tree.publishedArticles.count, categories: tree.categories.count,
                           warnings: tree.diagnostics.warningCount, errors: 0, seconds: Date().timeIntervalSince(start))
        } catch let error as BuildError {
            try? fileManager.removeItem(at: staging)
            throw error
        } catch {
            try? fileManager.removeItem(at: staging)
            throw BuildError.output(path: output.path, reason: (error as NSError).localizedDescription)
        }
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

    private func writeSite(into folder: URL, progress: (@Sendable (Int, Int) -> Void)?) throws -> Int {
        let renderer = PageRenderer(tree: tree, theme: theme)
        let published = tree.publishedArticles
        var files: [(String, String)] = [("index.html", renderer.home()), ("404.html", renderer.notFound()), ("search/index.html", renderer.search())]
        for index in tree.categories.indices where tree.hasPublishedArticles(inCategory: index) {
            files.append((tree.categories[index].outputPath, renderer.category(index)))
        }
        let articlePages = ParallelMap.map(published) { renderer.article($0) }
        for (offset, index) in published.enumerated() {
            files.append((tree.articles[index].outputPath, articlePages[offset]))
        }
        for (path, target) in tree.redirects.sorted(by: { $0.key < $1.key }) {
            files.append((path, renderer.redirect(to: target)))
        }
        files.append(("_redirects", Self.redirectRules(tree)))
        files.append(("sitemap.xml", Sitemap(tree: tree).xml()))
        files.append(("robots.txt", "User-agent: *\nAllow: /\nSitemap: \(tree.config.baseURL)/sitemap.xml\n"))
        files.append((Self.marker, "Written by helpcenter build; this whole folder is replaced by the next build.\n"))

        var createdFolders: Set<String> = []
        for (count, (path, content)) in files.enumerated() {
            try write(Data(content.utf8), to: path, in: folder, createdFolders: &createdFolders)
            if count % 64 == 0 || count == files.count - 1 { progress?(count + 1, files.count) }
        }
        for (path, data) in searchIndex(published).files() {
            try write(data, to: "search/" + path, in: folder, createdFolders: &createdFolders)
        }
        for (name, data) in theme.assets.sorted(by: { $0.key < $1.key }) {
            try write(data, to: "assets/" + name, in: folder, createdFolders: &createdFolders)
        }
        for (source, destination) in tree.assets.sorted(by: { $0.key < $1.key }) {
            let data: Data
            do {
                data = try Data(contentsOf: tree.rootURL.appendingPathComponent(source))
            } catch {
                throw BuildError.unreadableFile(path: tree.displayPath(source), reason: (error as NSError).localizedDescription)
            }
            try write(data, to: destination, in: folder, createdFolders: &createdFolders)
        }
        return files.count - 4  // _redirects, sitemap.xml, robots.txt and the marker are not pages
    }

    /// The search index of the published articles, from the same parsed documents as the pages.
    /// The permanent redirects (`/a/<id>/` permalinks and `aliases`) as `_redirects` rules, one
    /// `from to 301` per line (the format of Netlify and Cloudflare Pages; `helpcenter serve` reads it too).
    static func redirectRules(_ tree: ContentTree) -> String {
        tree.redirects.sorted(by: { $0.key < $1.key }).map { path, target in
            let from = tree.config.pathPrefix + "/" + (path.hasSuffix("index.html") ? String(path.dropLast("index.html".count)) : path)
            return "\(from) \(target) 301\n"
        }.joined()
    }

    func searchIndex(_ published: [Int]) -> SearchIndex {
        let documents = ParallelMap.map(published) { [tree] index in SearchDocument(article: tree.articles[index], in: tree) }
        let categories = tree.topCategories.filter { tree.hasPublishedArticles(inCategory: $0) }.map {
            SearchIndex.Category(title: tree.categories[$0].title, url: tree.categories[$0].url)
        }
        return SearchIndex(documents: documents, categories: categories)
    }

    private func write(_ data: Data, to path: String, in folder: URL, createdFolders: inout Set<String>) throws {
        let url = folder.appendingPathComponent(path)
        let directory = url.deletingLastPathComponent().path
        if createdFolders.insert(directory).inserted {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        // Plain open/write/close: Data.write(to:) syncs each file to disk, which costs more than the
        // whole render, and the swap gives atomicity at the folder level anyway.
        guard let file = fopen(url.path, "wb") else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
        let written = data.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard fclose(file) == 0, written == data.count else { throw CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: url.path]) }
    }
}
