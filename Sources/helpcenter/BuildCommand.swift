import ArgumentParser
import Foundation
import HelpCenterContent
import HelpCenterSite

/// `helpcenter build`: Content/ → Site/, all diagnostics at once, the previous site kept on errors.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Render the content folder into a static site.",
        discussion: """
            Prints every problem as path:line:col: error|warning: message, then one summary line.
            Exits 1 when the content has errors; the previous output folder is then left as it was.
            """
    )

    @Option(name: .long, help: "The content folder: site.yml, category folders and .md articles.")
    var content = "Content"

    @Option(name: .long, help: "The folder to write the site into (replaced as a whole when the build succeeds).")
    var output = "Site"

    func run() throws {
        guard try Self.build(content: content, output: output).isEmpty else { throw ExitCode(1) }
    }

    /// Builds `content` into `output`, printing diagnostics and the summary line.
    /// - Returns: the build's errors as `path:line:col: error: …` lines (the theme's or the writer's
    ///   error last); empty when the site was built.
    /// - Parameter cache: kept for the incremental rebuilds of `serve --watch`.
    /// - Throws: `ValidationError` when the content folder cannot be read.
    static func build(content: String, output: String, cache: BuildCache? = nil) throws -> [String] {
        let start = Date()
        let tree: ContentTree
        do {
            tree = try ContentTree.load(from: content, cache: cache?.content)
        } catch {
            throw ValidationError("cannot read the content folder '\(content)': it does not exist or is not a folder; pass --content DIR")
        }
        for diagnostic in tree.diagnostics { printError(diagnostic.description) }
        let theme: Theme
        do {
            theme = try Theme.load(for: tree)
        } catch {
            printError("\(error)")
            return tree.failureLines(error)
        }
        let interactive = isatty(STDOUT_FILENO) != 0
        do {
            let summary = try SiteBuilder(tree: tree, theme: theme).build(into: URL(fileURLWithPath: output, isDirectory: true), cache: cache) { done, total in
                guard interactive else { return }
                FileHandle.standardOutput.write(Data("\rwriting \(done)/\(total) files".utf8))
            }
            if interactive { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)) }
            let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
            print("built \(plural(summary.pages, "page")) (\(plural(summary.articles, "article")) in \(plural(summary.categories, "category", "categories"))) into \(output)/ in \(seconds) s: \(plural(summary.warnings, "warning")), 0 errors")
            fflush(nil)  // seen at once when standard output is a file or pipe (serve --watch logs follow it)
            return []
        } catch let error as SiteBuilder.BuildError {
            let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
            printError("\(error)")
            print("build failed in \(seconds) s: \(plural(tree.diagnostics.warningCount, "warning")), \(plural(tree.diagnostics.errorCount, "error"))")
            fflush(nil)
            return tree.failureLines(error)
        }
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// `1 page`, `2 pages`.
func plural(_ count: Int, _ singular: String, _ pluralForm: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : pluralForm ?? singular + "s")"
}
