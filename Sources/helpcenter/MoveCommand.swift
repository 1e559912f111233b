import ArgumentParser
import Foundation
import HelpCenterContent

/// `helpcenter mv OLD NEW`: move or rename an article or a category folder without breaking a link.
struct MoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mv",
        abstract: "Move or rename an article or a category folder, keeping every link to it working.",
        discussion: """
            Rewrites the links, images and related: paths that point at what moves (and the relative links \
            inside it), adds each moved article's old URL to its aliases (so the old address redirects), \
            then moves the file or folder and checks the content. Paths are inside the content folder, \
            e.g. helpcenter mv guides/start.md howto/getting-started.md
            """
    )

    @Argument(help: "The article (.md) or category folder to move.") var old: String
    @Argument(help: "Its new path.") var new: String
    @Option(name: .long, help: "The content folder.") var content = "Content"

    func run() throws {
        let tree: ContentTree
        do { tree = try ContentTree.load(from: content) } catch {
            throw ValidationError("cannot read the content folder '\(content)'; pass --content DIR")
        }
        let result: ContentMove.Result
        do { result = try ContentMove.move(old, to: new, in: tree) } catch let failure as ContentMove.Failure {
            throw ValidationError(failure.message)
        }
        for diagnostic in result.unrewritten { printError(diagnostic.description) }
        print("moved \(plural(result.moved.count, "article")); added \(plural(result.aliases.count, "alias", "aliases")); rewrote \(plural(result.rewritten, "link")) in \(plural(result.files, "file"))")
        let after = try ContentTree.load(from: content)
        for diagnostic in after.diagnostics where diagnostic.severity == .error { printError(diagnostic.description) }
        print("check: \(plural(after.diagnostics.warningCount, "warning")), \(plural(after.diagnostics.errorCount, "error"))")
        if after.diagnostics.errorCount > 0 || !result.unrewritten.isEmpty { throw ExitCode(1) }
    }
}
