import Foundation
import HelpCenterContent
import Mustache

/// The templates and static files pages are made from: the default theme shipped with the package,
/// each file of which a site may override from the theme folder named in `site.yml`.
///
/// Templates are Mustache (mustache(5) spec, via hummingbird-project/swift-mustache); partials are the
/// other templates of the theme by name (`{{> header}}`). Static files (`style.css`, …) are copied to
/// `assets/` in the output.
public struct Theme: Sendable {
    /// Template names every theme provides.
    public static let pageTemplates = ["home", "category", "article", "search", "404", "redirect"]

    let library: MustacheLibrary
    /// Static files: name → bytes.
    let assets: [String: Data]
    /// A hash of every template and static file (per process, like Swift's `Hasher`): a rebuild
    /// re-renders every page when it changed.
    let digest: Int

    /// Errors loading a theme.
    public enum LoadError: Error, CustomStringConvertible {
        case missingDefaultTheme
        case missingThemeFolder(path: String)
        /// A theme file that cannot be read, or a template that does not parse at `line`:`column`
        /// (1-based; 1:1 when the whole file is at fault).
        case template(path: String, line: Int = 1, column: Int = 1, message: String)

        public var description: String {
            switch self {
            case .missingDefaultTheme:
                return "error: the default theme is missing from the installation; rebuild helpcenter"
            case .missingThemeFolder(let path):
                return "\(path): error: the theme folder named in site.yml does not exist; create it or remove 'theme:'"
            case .template(let path, let line, let column, let message):
                return "\(path):\(line):\(column): error: \(message); fix the template or remove it to use the default"
            }
        }
    }

    /// Loads the theme `site.yml` names (`theme:`, relative to the content folder) over the default theme.
    /// - Throws: ``LoadError/missingThemeFolder(path:)`` when the named folder does not exist, or
    ///   ``LoadError/template(path:message:)`` when a template does not parse.
    public static func load(for tree: ContentTree) throws -> Theme {
        guard let name = tree.config.theme else { return try load(overrideFolder: nil) }
        let folder = tree.rootURL.appendingPathComponent(name, isDirectory: true)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LoadError.missingThemeFolder(path: tree.displayPath(name))
        }
        return try load(overrideFolder: folder)
    }

    /// Loads the default theme, then the files of `overrideFolder` (if any) over it.
    /// - Throws: ``LoadError`` when a template does not parse.
    public static func load(overrideFolder: URL?) throws -> Theme {
        guard let defaults = Bundle.module.url(forResource: "Theme", withExtension: nil) else { throw LoadError.missingDefaultTheme }
        var templates: [String: String] = [:]
        var assets: [String: Data] = [:]
        for folder in [defaults] + (overrideFolder.map { [$0] } ?? []) {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
            for name in names where !name.hasPrefix(".") {
                let url = folder.appendingPathComponent(name)
                // Only regular files: a symbolic link could publish a file from outside the content folder.
                guard (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType == .typeRegular else { continue }
                guard let data = try? Data(contentsOf: url) else {
                    throw LoadError.template(path: url.path, message: "cannot read this theme file")
                }
                if name.hasSuffix(".mustache") {
                    guard let text = String(data: data, encoding: .utf8) else {
                        throw LoadError.template(path: url.path, message: "the template is not valid UTF-8; save it as UTF-8")
                    }
                    templates[String(name.dropLast(".mustache".count))] = text
                } else {
                    assets[name] = data
                }
            }
        }
        var library = MustacheLibrary()
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            do {
                try library.register(PageEscaping.template(text), named: name)
            } catch {
                let folder = overrideFolder.flatMap { FileManager.default.fileExists(atPath: $0.appendingPathComponent(name + ".mustache").path) ? $0 : nil } ?? defaults
                // The parser counts lines from the pragma line put before the template.
                let parsed = error as? MustacheTemplate.ParserError
                throw LoadError.template(path: folder.appendingPathComponent(name + ".mustache").path,
                                         line: parsed.map { max(1, $0.context.lineNumber - 1) } ?? 1, column: parsed?.context.columnNumber ?? 1,
                                         message: Self.explain(parsed?.error ?? error))
            }
        }
        var hasher = Hasher()
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) { hasher.combine(name); hasher.combine(text) }
        for (name, data) in assets.sorted(by: { $0.key < $1.key }) { hasher.combine(name); data.withUnsafeBytes { hasher.combine(bytes: $0) } }
        return Theme(library: library, assets: assets, digest: hasher.finalize())
    }

    /// An editor's reading of a swift-mustache parse error.
    static func explain(_ error: Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect: return "this closing tag does not match the section it closes; close {{#name}} with {{/name}}"
        case .unfinishedName: return "this tag is not finished; end it with }}"
        case .expectedSectionEnd: return "a section is never closed; add its {{/name}}"
        case .invalidSetDelimiter: return "this set-delimiter tag is malformed; write it as {{=<% %>=}}"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable: return "this {{% …}} tag is not understood; remove it"
        case .transformAppliedToInheritanceSection, .illegalTokenInsideInheritSection, .textInsideInheritSection:
            return "only {{$block}} sections may stand inside a {{<parent}} section"
        case nil: return "template does not parse: \(error)"
        }
    }

    func render(_ object: Any, template: String) -> String {
        library.render(object, withTemplate: template) ?? ""
    }
}
