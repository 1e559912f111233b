import Foundation
import HelpCenterMarkdown

/// Moves or renames an article or a category folder inside the content folder without breaking a
/// link: every link, image and `related:` path that points into what moves (or out of it, from what
/// moves) is rewritten, and each moved article gets its old URL in `aliases`, so the old address
/// redirects (301 with `helpcenter serve`, `_redirects` on static hosts).
public enum ContentMove {
    public struct Result: Sendable {
        /// Content-relative paths of the articles moved, old → new.
        public var moved: [(from: String, to: String)]
        /// Old URLs added to `aliases`.
        public var aliases: [String]
        /// Links and `related:` entries rewritten, and in how many files.
        public var rewritten: Int
        public var files: Int
        /// References that could not be found in the text to rewrite (fix by hand).
        public var unrewritten: [Diagnostic]
    }

    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Moves `from` to `to` (content-relative paths; the content folder's own name in front is
    /// accepted too) and rewrites the files of `tree`.
    /// - Throws: ``Failure`` when `from` is neither an article nor a category folder, `to` exists,
    ///   its folder does not, an article's new name does not end in `.md`, a folder would move into
    ///   itself, or a file cannot be written. Nothing is written before every check has passed.
    public static func move(_ from: String, to: String, in tree: ContentTree) throws -> Result {
        let root = tree.rootURL
        let from = tree.contentPath(from), to = tree.contentPath(to)
        let isArticle = tree.articles.contains { $0.sourcePath == from }
        let isFolder = tree.categories.contains { $0.folderPath == from }
        guard isArticle || isFolder else {
            throw Failure(message: "'\(from)' is not an article (.md file) or a category folder in \(tree.displayRoot); give its path inside the content folder")
        }
        guard !to.isEmpty, !FileManager.default.fileExists(atPath: root.appendingPathComponent(to).path) else {
            throw Failure(message: "'\(to)' exists already; choose a new name")
        }
        let parent = folder(of: to)
        var isDirectory: ObjCBool = false
        guard parent.isEmpty || (FileManager.default.fileExists(atPath: root.appendingPathComponent(parent).path, isDirectory: &isDirectory) && isDirectory.boolValue) else {
            throw Failure(message: "there is no folder '\(parent)' to move into; create it first")
        }
        if isArticle && !to.hasSuffix(".md") { throw Failure(message: "an article's new name must end in .md, e.g. \(to).md") }
        if isFolder && (to + "/").hasPrefix(from + "/") { throw Failure(message: "a folder cannot move into itself") }

        func map(_ path: String) -> String {
            if path == from { return to }
            if isFolder && path.hasPrefix(from + "/") { return to + path.dropFirst(from.count) }
            return path
        }

        // Rewrites, per file: (byte offset in the file, old text, new text).
        var edits: [String: [(offset: Int, old: String, new: String)]] = [:]
        var texts: [String: [UInt8]] = [:]
        var unrewritten: [Diagnostic] = []
        func text(_ path: String) -> [UInt8]? {
            if let known = texts[path] { return known }
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else { return nil }
            texts[path] = Array(data)
            return texts[path]
        }
        for reference in tree.references() {
            guard let target = reference.targetPath, map(reference.sourcePath) != reference.sourcePath || map(target) != target else { continue }
            let newFolder = folder(of: map(reference.sourcePath))
            var replacement: String
            switch reference.kind {
            case .link, .image:
                let (path, _) = ContentTree.splitFragment(reference.destination)
                replacement = path.hasPrefix("/") ? "/" + map(target) : relativePath(from: newFolder, to: map(target))
                if path.hasSuffix("/") && !replacement.hasSuffix("/") { replacement += "/" }
                if let hash = reference.destination.firstIndex(of: "#") { replacement += reference.destination[hash...] }
            case .related:
                let fromRoot = ContentTree.normalize(reference.destination, relativeTo: "") == target
                    || ContentTree.normalize(reference.destination, relativeTo: "").map { $0 + ".md" } == target
                replacement = fromRoot ? map(target) : relativePath(from: newFolder, to: map(target))
            }
            guard replacement != reference.destination else { continue }
            guard let bytes = text(reference.sourcePath),
                  let offset = find(reference.destination, in: bytes, from: reference.location) else {
                unrewritten.append(Diagnostic(.warning, tree.displayPath(reference.sourcePath), reference.location,
                    "could not find '\(reference.destination)' here to rewrite; change it to '\(replacement)' by hand"))
                continue
            }
            edits[reference.sourcePath, default: []].append((offset, reference.destination, replacement))
        }

        let rewritten = edits.values.reduce(0) { $0 + $1.count }

        // Old URLs become aliases of the moved articles.
        var moved: [(from: String, to: String)] = []
        var aliases: [String] = []
        for article in tree.articles where map(article.sourcePath) != article.sourcePath {
            moved.append((article.sourcePath, map(article.sourcePath)))
            guard !article.isDraft, var bytes = text(article.sourcePath) else { continue }
            bytes = apply(edits.removeValue(forKey: article.sourcePath) ?? [], to: bytes)
            guard let withAlias = addAlias(article.url, to: bytes) else {
                throw Failure(message: "\(tree.displayPath(article.sourcePath)): its aliases are not a YAML list; write them as 'aliases:' followed by '- /old/url/' lines, then move again")
            }
            texts[article.sourcePath] = withAlias
            aliases.append(article.url)
        }
        var changed = Set(moved.map(\.from))
        for (path, list) in edits {
            guard let bytes = text(path) else { continue }
            texts[path] = apply(list, to: bytes)
            changed.insert(path)
        }

        // Write, then move.
        for path in changed.sorted() {
            guard let bytes = texts[path] else { continue }
            do {
                try Data(bytes).write(to: root.appendingPathComponent(path), options: .atomic)
            } catch {
                throw Failure(message: "\(tree.displayPath(path)): cannot write (\(error.localizedDescription)); check permissions and move again")
            }
        }
        do {
            try FileManager.default.moveItem(at: root.appendingPathComponent(from), to: root.appendingPathComponent(to))
        } catch {
            throw Failure(message: "cannot move '\(from)' to '\(to)': \(error.localizedDescription)")
        }
        return Result(moved: moved, aliases: aliases, rewritten: rewritten, files: changed.count, unrewritten: unrewritten)
    }

    /// The folder part of a content-relative path (`""` at the root).
    public static func folder(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
    }

    /// The relative path from `folder` to `path` (both content-relative).
    public static func relativePath(from folder: String, to path: String) -> String {
        let base = folder.split(separator: "/"), target = path.split(separator: "/")
        var common = 0
        while common < base.count, common < target.count, base[common] == target[common] { common += 1 }
        let up = Array(repeating: "..", count: base.count - common)
        let parts = up + target[common...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// The byte offset of `needle` in `bytes`, searched from `location` on (up to 4 KB further).
    static func find(_ needle: String, in bytes: [UInt8], from location: SourceLocation) -> Int? {
        var line = 1, start = 0
        while line < location.line, let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            start = newline + 1
            line += 1
        }
        let begin = min(bytes.count, start + max(0, location.column - 1))
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty else { return nil }
        let end = min(bytes.count, begin + 4096)
        var index = begin
        while index + pattern.count <= end {
            if bytes[index] == pattern[0] && Array(bytes[index..<index + pattern.count]) == pattern { return index }
            index += 1
        }
        return nil
    }

    /// `bytes` with the edits applied, last first so that earlier offsets stay right.
    static func apply(_ edits: [(offset: Int, old: String, new: String)], to bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        for edit in edits.sorted(by: { $0.offset > $1.offset }) {
            bytes.replaceSubrange(edit.offset..<edit.offset + edit.old.utf8.count, with: Array(edit.new.utf8))
        }
        return bytes
    }

    /// The file with `url` added to the front matter's `aliases` list (created when missing), or nil
    /// when `aliases` is written in a form this cannot extend (a plain scalar).
    static func addAlias(_ url: String, to bytes: [UInt8]) -> [UInt8]? {
        var lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n")
        let offset = lines.first?.hasPrefix("\u{FEFF}") == true ? 1 : 0
        guard lines.first?.dropFirst(offset).trimmingCharacters(in: .whitespaces) == "---",
              let close = lines.indices.dropFirst().first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "---" || lines[$0] == "..." }) else {
            lines.insert(contentsOf: ["---", "aliases:", "  - \(url)", "---"], at: 0)
            return Array(lines.joined(separator: "\n").utf8)
        }
        if let key = lines[1..<close].firstIndex(where: { $0.hasPrefix("aliases:") }) {
            let value = lines[key].dropFirst("aliases:".count).trimmingCharacters(in: .whitespaces)
            if value.isEmpty {
                var last = key
                while last + 1 < close, lines[last + 1].hasPrefix(" ") || lines[last + 1].hasPrefix("-") { last += 1 }
                lines.insert("  - \(url)", at: last + 1)
            } else if value.hasPrefix("["), value.hasSuffix("]") {
                let inner = value.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                lines[key] = "aliases: [" + (inner.isEmpty ? url : inner + ", " + url) + "]"
            } else {
                return nil
            }
        } else {
            lines.insert(contentsOf: ["aliases:", "  - \(url)"], at: close)
        }
        return Array(lines.joined(separator: "\n").utf8)
    }
}
