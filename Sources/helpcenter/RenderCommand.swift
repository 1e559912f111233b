import ArgumentParser
import Foundation
import HelpCenterMarkdown

/// `helpcenter render`: Markdown on standard input → article body HTML on standard output.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render Markdown from standard input to HTML on standard output.",
        discussion: "Uses the same pipeline as build (heading anchors, tables, callouts, sanitizing); diagnostics go to standard error as <stdin>:line:col."
    )

    @Option(name: .customLong("raw-html"), help: "What to do with raw HTML: sanitize, drop or trusted.")
    var rawHTML: String = "sanitize"

    func run() throws {
        guard let policy = RawHTMLPolicy(rawValue: rawHTML) else {
            throw ValidationError("--raw-html must be sanitize, drop or trusted")
        }
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let document = MarkdownDocument(parsing: input)
        for diagnostic in document.diagnostics + document.rawHTMLDiagnostics(policy: policy) {
            printError("<stdin>:\(diagnostic.location): \(diagnostic.severity.rawValue): \(diagnostic.message)")
        }
        FileHandle.standardOutput.write(Data(HTMLRenderer(rawHTML: policy).render(document).utf8))
    }
}
