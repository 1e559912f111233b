import Foundation
import HelpCenterContent
import Yams

/// Turns a help center exported to Markdown (a Zendesk Guide export, as in `../shared/corpora/`) into
/// this product's content format, with a report of what it changed and what it could not.
///
/// Rules: category titles, summaries and order from `.group.json` (flat or wrapped in `category` /
/// `section`); front matter normalised (`labels` strings → `tags`, `promoted` → `featured`, ids kept,
/// titles cleaned, drafts kept); links to the old help center (a `--legacy-url` pattern with `{id}`)
/// rewritten to the imported article; callout dialects (`>![info]`, `>[!NOTE]`) → `> [!NOTE]`; a
/// trailing "Further reading" / "Related reading" / "Learn more" list → `related:`; a first H1 that
/// repeats the title dropped; zero-width characters removed. The output is deterministic.
public struct ExportImporter {
    public struct Report: Sendable, Equatable {
        public var categories = 0
        public var articles = 0
        public var linksRewritten = 0
        /// Links that match the legacy pattern but name an id the export does not have: (file, id).
        public var linksLeftExternal: [String] = []
        public var calloutsConverted = 0
        public var relatedListsMade = 0
        public var titlesDropped = 0
        public var filesCopied = 0
        /// Aliases left out because they are not same-site paths: `file: alias '…': why`.
        public var aliasesRefused: [String] = []
        /// Files of the export that configure a site (its `site.yml`, templates, scripts, styles), never
        /// copied: an export must not change how the whole help center is built or what runs in it.
        public var configurationSkipped: [String] = []
    }

    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    let source: URL
    /// The old article URL with `{id}` where the id goes, e.g. `https://support.example.com/hc/en-us/articles/{id}`.
    let legacyURL: String?

    public init(source: URL, legacyURL: String?) {
        self.source = source
        self.legacyURL = legacyURL
    }

    /// The files of the imported tree (content-relative path → bytes) and the report.
    /// - Throws: ``Failure`` when the source is not a folder, or `legacyURL` has no `{id}`.
    public func convert() throws -> (files: [String: Data], report: Report) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure(message: "\(source.path): error: not a folder; give the export's folder (the one holding the category folders)")
        }
        if let legacyURL, !legacyURL.contains("{id}") {
            throw Failure(message: "--legacy-url must contain {id} where the article id goes, e.g. https://support.example.com/hc/en-us/articles/{id}")
        }
        var report = Report()
        var files: [String: Data] = [:]
        var articles: [(path: String, text: String)] = []
        let enumerator = FileManager.default.enumerator(at: source, includingPropertiesForKeys: [.isRegularFileKey])
        var paths: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            paths.append(String(url.standardizedFileURL.path.dropFirst(source.standardizedFileURL.path.count + 1)))
        }
        for path in paths.sorted() {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let data = try Data(contentsOf: source.appendingPathComponent(path))
            if name == ".group.json" {
                if let yaml = Self.categoryFile(data) {
                    files[ContentMove.folder(of: path).isEmpty ? "_category.yml" : ContentMove.folder(of: path) + "/_category.yml"] = Data(yaml.utf8)
                    report.categories += 1
                }
            } else if name.hasSuffix(".md") {
                articles.append((path, String(decoding: data, as: UTF8.self)))
            } else if Self.isConfiguration(name) {
                report.configurationSkipped.append(path)
            } else if !name.hasPrefix(".") && !["SOURCE.md"].contains(name) {
                files[path] = data
                report.filesCopied += 1
            }
        }
        // Ids of the export → article paths, for legacy links.
        var pathByID: [String: String] = [:]
        var parsed: [(path: String, meta: [String: Any], body: String)] = []
        for article in articles {
            let (meta, body) = Self.split(article.text)
            if let id = meta["id"].map({ "\($0)" }), pathByID[id] == nil { pathByID[id] = article.path }
            parsed.append((article.path, meta, body))
        }
        for article in parsed {
            let text = convert(article.path, meta: article.meta, body: article.body, pathByID: pathByID, report: &report)
            files[article.path] = Data(text.utf8)
            report.articles += 1
        }
        return (files, report)
    }

    // MARK: Categories

    /// `_category.yml` from a Zendesk `.group.json` (flat, or wrapped in `category` / `section`).
    static func categoryFile(_ data: Data) -> String? {
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        for key in ["category", "section"] { if let inner = object[key] as? [String: Any] { object = inner } }
        guard let name = (object["name"] as? String).map(Self.cleanTitle), !name.isEmpty else { return nil }
        var lines = ["title: " + quoted(name)]
        if let description = (object["description"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines), !description.isEmpty {
            lines.append("summary: " + quoted(description))
        }
        if let position = object["position"] as? Int { lines.append("order: \(position)") }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Articles

    static func split(_ text: String) -> (meta: [String: Any], body: String) {
        var text = text.replacingOccurrences(of: "\r\n", with: "\n")
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard text.hasPrefix("---\n"), let end = text.range(of: "\n---\n", range: text.index(text.startIndex, offsetBy: 3)..<text.endIndex) else {
            return ([:], text)
        }
        // `---\n---\n` (an empty block) ends before the YAML would start: no keys, not a backwards range.
        let yamlStart = text.index(text.startIndex, offsetBy: 4)
        let yaml = end.lowerBound > yamlStart ? String(text[yamlStart..<end.lowerBound]) : ""
        let meta = ((try? Yams.load(yaml: yaml)) as? [String: Any]) ?? [:]
        return (meta, String(text[end.upperBound...]))
    }

    func convert(_ path: String, meta: [String: Any], body: String, pathByID: [String: String], report: inout Report) -> String {
        let title = (meta["title"].map { "\($0)" }).map(Self.cleanTitle) ?? ""
        var body = Self.removeZeroWidth(body)
        if Self.dropRepeatedTitle(&body, title: title) { report.titlesDropped += 1 }
        body = Self.convertCallouts(body, count: &report.calloutsConverted)
        body = rewriteLegacyLinks(body, from: path, pathByID: pathByID, report: &report)
        var related = (meta["related"] as? [Any])?.map { "\($0)" } ?? []
        let (newBody, moved) = Self.extractFurtherReading(body, from: path)
        if !moved.isEmpty {
            related += moved.filter { !related.contains($0) }
            report.relatedListsMade += 1
            body = newBody
        }
        var lines = ["---", "title: " + Self.quoted(title)]
        if let id = meta["id"] { lines.append("id: " + Self.quoted("\(id)")) }
        for key in ["summary", "updated", "walkthrough"] { if let value = meta[key] { lines.append("\(key): " + Self.quoted("\(value)")) } }
        if let order = meta["order"] as? Int { lines.append("order: \(order)") }
        var tags: [String] = []
        for key in ["tags", "labels"] {
            if let list = meta[key] as? [Any] { tags += list.map { "\($0)" } }
            if let string = meta[key] as? String { tags += string.split(separator: ",").map(String.init) }
        }
        tags = tags.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !tags.isEmpty { lines.append("tags: [" + tags.map(Self.quoted).joined(separator: ", ") + "]") }
        if !related.isEmpty { lines.append("related:"); lines += related.map { "  - " + Self.quoted($0) } }
        let aliases = ((meta["aliases"] as? [Any]) ?? []).map { "\($0)" }.filter { alias in
            do {
                _ = try SitePath.redirectSource(alias)
                return true
            } catch {
                report.aliasesRefused.append("\(path): alias '\(SitePath.visible(alias))': \(error)")
                return false
            }
        }
        if !aliases.isEmpty { lines.append("aliases:"); lines += aliases.map { "  - " + Self.quoted($0) } }
        if Self.isTrue(meta["promoted"]) || Self.isTrue(meta["featured"]) { lines.append("featured: true") }
        if Self.isTrue(meta["draft"]) { lines.append("draft: true") }
        lines.append("---")
        return lines.joined(separator: "\n") + "\n" + body
    }

    /// Whether a file of the export configures a site rather than being content an article links to.
    static func isConfiguration(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["site.yml", "site.yaml"].contains(lower)
            || ["mustache", "js", "mjs", "css", "html", "htm", "xhtml", "svg", "xml"].contains(lower.split(separator: ".").last.map(String.init) ?? "")
    }

    static func isTrue(_ value: Any?) -> Bool {
        if let bool = value as? Bool { return bool }
        if let text = value as? String { return text.lowercased() == "true" }
        return false
    }

    /// A title with runs of whitespace (thin spaces included) made one space and trimmed.
    static func cleanTitle(_ title: String) -> String {
        removeZeroWidth(title).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func removeZeroWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { ![0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF].contains($0.value) }))
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\x%02X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// Drops the body's first line when it is an H1 that repeats the title.
    static func dropRepeatedTitle(_ body: inout String, title: String) -> Bool {
        var lines = body.components(separatedBy: "\n")
        guard let first = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }),
              lines[first].hasPrefix("# "),
              cleanTitle(String(lines[first].dropFirst(2))).lowercased() == title.lowercased() else { return false }
        lines.remove(at: first)
        body = lines.joined(separator: "\n")
        return true
    }

    static let calloutKinds = ["info": "NOTE", "note": "NOTE", "tip": "TIP", "important": "IMPORTANT", "warning": "WARNING", "caution": "CAUTION",
                               "danger": "CAUTION", "error": "CAUTION", "success": "TIP"]

    /// `>![info]`, `>[!NOTE]`, `> [!Note]` → `> [!NOTE]` (outside fenced code).
    static func convertCallouts(_ body: String, count: inout Int) -> String {
        var inFence = false
        // Once per article: a regex literal is parsed again each time it is evaluated, and in the
        // closure that was once per line (two thirds of an import's time, found by the fuzz harness).
        let callout = /\s{0,3}>\s*(!\[|\[!)([A-Za-z]+)\]\s*(.*)/
        let lines = body.components(separatedBy: "\n").map { line -> String in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle() }
            guard !inFence, let match = line.wholeMatch(of: callout) else { return line }
            guard let kind = calloutKinds[String(match.2).lowercased()] else { return line }
            let rest = String(match.3)
            let converted = "> [!\(kind)]" + (rest.isEmpty ? "" : "\n> " + rest)
            if converted != line { count += 1 }
            return converted
        }
        return lines.joined(separator: "\n")
    }

    /// Rewrites links to the old help center to the imported article (relative `.md` path in
    /// Markdown, the `/a/<id>/` permalink inside raw HTML attributes), keeping `#fragment`.
    func rewriteLegacyLinks(_ body: String, from path: String, pathByID: [String: String], report: inout Report) -> String {
        guard let legacyURL else { return body }
        let parts = legacyURL.components(separatedBy: "{id}")
        let pattern = NSRegularExpression.escapedPattern(for: parts[0]) + "([0-9]+)(?:-[^\\s)\"'#?<>]*)?(?:\\?[^\\s)\"'#<>]*)?(#[^\\s)\"'<>]*)?"
            + NSRegularExpression.escapedPattern(for: parts.dropFirst().joined(separator: "{id}"))
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return body }
        let text = body as NSString
        var result = ""
        var last = 0
        for match in regex.matches(in: body, range: NSRange(location: 0, length: text.length)) {
            let id = text.substring(with: match.range(at: 1))
            let fragment = match.range(at: 2).location == NSNotFound ? "" : text.substring(with: match.range(at: 2))
            result += text.substring(with: NSRange(location: last, length: match.range.location - last))
            if let target = pathByID[id] {
                let inAttribute = match.range.location >= 6 && text.substring(with: NSRange(location: match.range.location - 6, length: 6)).hasSuffix("=\"")
                result += inAttribute ? "/a/\(id)/" + fragment : Self.relativeLink(from: ContentMove.folder(of: path), to: target) + fragment
                report.linksRewritten += 1
            } else {
                result += text.substring(with: match.range)
                report.linksLeftExternal.append("\(path): \(id)")
            }
            last = match.range.location + match.range.length
        }
        result += text.substring(from: last)
        return result
    }

    /// A relative link from `folder` to `path` (content-relative), spaces and other unsafe characters percent-encoded.
    static func relativeLink(from folder: String, to path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "()")
        return ContentMove.relativePath(from: folder, to: path).split(separator: "/", omittingEmptySubsequences: false)
            .map { $0 == ".." ? String($0) : (String($0).addingPercentEncoding(withAllowedCharacters: allowed) ?? String($0)) }
            .joined(separator: "/")
    }

    /// A trailing "Further reading" / "Related reading" / "Learn more" section: the content paths of
    /// the list items that link to an imported article (relative `.md` links), and the body without
    /// the section when every item did.
    static func extractFurtherReading(_ body: String, from path: String) -> (body: String, related: [String]) {
        var lines = body.components(separatedBy: "\n")
        // Built once per article, not once per line (see convertCallouts).
        let heading = /#{1,3}\s+(Further reading|Related reading|Related readings|Learn more)\b.*/.ignoresCase()
        let item = /\s*[-*+]\s+.*/
        let markdownLink = /\]\(([^)\s]+\.md)(#[^)\s]*)?\)/
        guard let start = lines.lastIndex(where: { $0.wholeMatch(of: heading) != nil }) else {
            return (body, [])
        }
        let level = lines[start].prefix { $0 == "#" }.count
        var end = lines.count
        for index in (start + 1)..<lines.count where lines[index].hasPrefix("#") && lines[index].prefix(while: { $0 == "#" }).count <= level {
            end = index
            break
        }
        var related: [String] = []
        var items = 0
        for line in lines[(start + 1)..<end] where line.wholeMatch(of: item) != nil {
            items += 1
            guard let link = line.firstMatch(of: markdownLink) else { continue }
            let destination = String(link.1).removingPercentEncoding ?? String(link.1)
            if let target = ContentTree.normalize(destination, relativeTo: ContentMove.folder(of: path)) { related.append(target) }
        }
        guard !related.isEmpty else { return (body, []) }
        if related.count == items { lines.removeSubrange(start..<end) }
        return (lines.joined(separator: "\n"), related)
    }
}
