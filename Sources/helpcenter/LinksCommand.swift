import ArgumentParser
import Foundation
import HelpCenterContent

/// `helpcenter links ARTICLE`: who links to an article, and where it links.
struct LinksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "links",
        abstract: "List the links to an article (by file and line) and the links in it.",
        discussion: "ARTICLE is its path inside the content folder (guides/start.md) or its id."
    )

    @Argument(help: "The article's path inside the content folder, or its id.") var article: String
    @Option(name: .long, help: "The content folder.") var content = "Content"

    func run() throws {
        let tree: ContentTree
        do { tree = try ContentTree.load(from: content) } catch {
            throw ValidationError("cannot read the content folder '\(content)'; pass --content DIR")
        }
        let wanted = tree.contentPath(article)
        guard let target = tree.articles.first(where: { $0.sourcePath == wanted || $0.sourcePath == wanted + ".md" || $0.id == article }) else {
            throw ValidationError("no article '\(article)' in \(tree.displayRoot); give its path inside the content folder or its id")
        }
        let inbound = tree.references(to: target.sourcePath)
        print("\(tree.displayPath(target.sourcePath)) (\(target.url)) is linked from \(plural(inbound.count, "place")):")
        for reference in inbound {
            print("  \(tree.displayPath(reference.sourcePath)):\(reference.location.line):\(reference.location.column): \(reference.kind.rawValue) \(reference.destination)")
        }
        let outbound = tree.references().filter { $0.sourcePath == target.sourcePath }
        print("it links to \(plural(outbound.count, "place")):")
        for reference in outbound {
            let resolved = reference.targetPath.map { path in tree.articles.first { $0.sourcePath == path }?.url ?? path } ?? reference.destination
            print("  \(reference.location.line):\(reference.location.column): \(reference.kind.rawValue) \(reference.destination) → \(resolved)")
        }
    }
}
