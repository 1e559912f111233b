import ArgumentParser
import Foundation
import HelpCenterContent
import HelpCenterMarkdown
import HelpCenterSite

/// `helpcenter check`: every diagnostic of a build, without writing the site.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report every problem in the content without writing the site.",
        discussion: """
            Reads site.yml, every category and article and the theme as a build does (front matter, titles, ids, \
            related, links, anchors, images, drafts, raw HTML) and prints each problem. Exit status: 0 when \
            clean (or only warnings), 1 when there are warnings and --strict is given, 2 when there are errors.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, github
    }

    @Option(name: .long, help: "The content folder.")
    var content = "Content"

    @Option(name: .long, help: "text (path:line:col: severity: message), json (one object per line) or github (workflow commands).")
    var format: Format = .text

    @Flag(name: .long, help: "Exit with status 1 when there are warnings.")
    var strict = false

    func run() throws {
        let tree: ContentTree
        do {
            tree = try ContentTree.load(from: content)
        } catch {
            throw ValidationError("cannot read the content folder '\(content)': it does not exist or is not a folder; pass --content DIR")
        }
        var diagnostics = tree.diagnostics
        do {
            _ = try Theme.load(for: tree)
        } catch {
            diagnostics.append(Diagnostic(.error, tree.config.theme.map { content + "/" + $0 } ?? content, SourceLocation(line: 1, column: 1), "\(error)"))
        }
        for diagnostic in diagnostics.sorted() { print(Self.line(diagnostic, format: format)) }
        let errors = diagnostics.errorCount, warnings = diagnostics.warningCount
        if format == .text {
            print("checked \(plural(tree.articles.count, "article")) in \(plural(tree.categories.count, "category", "categories")): \(plural(warnings, "warning")), \(plural(errors, "error"))")
        }
        if errors > 0 { throw ExitCode(2) }
        if warnings > 0 && strict { throw ExitCode(1) }
    }

    /// One diagnostic in `format`.
    static func line(_ diagnostic: Diagnostic, format: Format) -> String {
        switch format {
        case .text:
            return diagnostic.description
        case .json:
            struct Line: Encodable { var file: String; var line: Int; var column: Int; var severity: String; var message: String }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let value = Line(file: diagnostic.path, line: diagnostic.location.line, column: diagnostic.location.column,
                             severity: diagnostic.severity.rawValue, message: diagnostic.message)
            return String(decoding: try! encoder.encode(value), as: UTF8.self)
        case .github:
            // GitHub Actions workflow commands: `%`, CR and LF escaped in the message; also `:` and `,` in properties.
            func escape(_ text: String, property: Bool) -> String {
                var out = text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
                if property { out = out.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C") }
                return out
            }
            return "::\(diagnostic.severity.rawValue) file=\(escape(diagnostic.path, property: true)),line=\(diagnostic.location.line),col=\(diagnostic.location.column)::\(escape(diagnostic.message, property: false))"
        }
    }
}
