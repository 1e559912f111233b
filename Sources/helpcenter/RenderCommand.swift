import ArgumentParser
import Foundation
import HelpCenterMarkdown

/// `helpcenter render`: Markdown on standard input → article body HTML on standard output.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render Markdown from standard input to HTML on standard output.",
        discussion: "Uses the same pipeline as build (heading anchors, tables, callouts, sanitizing); diagnostics go to standard error as <stdin>:line:col. The HTML is always written; the exit status is 1 when a diagnostic is an error."
    )

    @Option(name: .customLong("raw-html"), help: "What to do with raw HTML: sanitize, drop or trusted.")
    var rawHTML: String = "sanitize"

    func run() throws {
        guard let policy = RawHTMLPolicy(rawValue: rawHTML) else {
            throw ValidationError("--raw-html must be sanitize, drop or trusted")
        }
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let document = MarkdownDocument(parsing: input)
        let diagnostics = document.diagnostics + document.rawHTMLDiagnostics(policy: policy)
        for diagnostic in diagnostics {
            printError("<stdin>:\(diagnostic.location): \(diagnostic.severity.rawValue): \(diagnostic.message)")
        }
        FileHandle.standardOutput.write(Data(HTMLRenderer(rawHTML: policy).render(document).utf8))
        if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }
}
