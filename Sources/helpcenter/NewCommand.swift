import ArgumentParser
import Foundation
import HelpCenterContent
import HelpCenterMarkdown

/// `helpcenter new "Title" --category PATH`: a new article file with its front matter.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create an article with front matter: a fresh id, today's date, an empty related list.",
        discussion: """
            Writes CATEGORY/<slug of the title>.md in the content folder and prints its path and the URL it \
            will have. The id is one more than the highest numeric id in the content (or ID with --id); \
            the permalink /a/<id>/ keeps working when the article is renamed or moved.
            """
    )

    @Argument(help: "The article's title.")
    var title: String

    @Option(name: .long, help: "The category folder inside the content folder, e.g. account-management/password.")
    var category: String

    @Option(name: .long, help: "The article's id (default: the next free numeric id).")
    var id: String?

    @Option(name: .long, help: "The content folder.")
    var content = "Content"

    func run() throws {
        let title = self.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, !title.contains(where: \.isNewline) else { throw ValidationError("give the article a title on one line") }
        let folder = category.split(separator: "/").filter { !$0.isEmpty && $0 != "." }.joined(separator: "/")
        guard !folder.split(separator: "/").contains(".."),
              (try? FileManager.default.attributesOfItem(atPath: content + "/" + folder))?[.type] as? FileAttributeType == .typeDirectory else {
            throw ValidationError("no category folder '\(category)' in '\(content)'; create the folder first or pass an existing one, e.g. --category account-management")
        }
        let tree: ContentTree
        do { tree = try ContentTree.load(from: content) } catch {
            throw ValidationError("cannot read the content folder '\(content)'; pass --content DIR")
        }
        let ids = Set(tree.articles.compactMap(\.id))
        let newID = id ?? String((ids.compactMap { Int($0) }.max() ?? 0) + 1)
        guard !ids.contains(newID) else { throw ValidationError("the id '\(newID)' is taken; choose another with --id or leave it out") }
        let slug = Slug.pathSegment(title)
        let path = content + "/" + folder + "/" + (slug.isEmpty ? "article" : slug) + ".md"
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("\(path) exists already; choose another title or rename that file")
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        let quoted = "\"" + title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        let text = """
            ---
            title: \(quoted)
            id: "\(newID)"
            summary: ""
            tags: []
            related: []
            updated: \(formatter.string(from: Date()))
            ---

            Write the answer here. Start with the short answer, then the steps.

            """
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw ValidationError("cannot write \(path); check that the folder is writable")
        }
        let categoryURL = tree.categories.first { $0.folderPath == folder }?.url ?? (tree.config.pathPrefix + "/" + folder + "/")
        print(path)
        print("URL: \(categoryURL)\(slug)/   permalink: \(tree.config.pathPrefix)/a/\(newID)/")
    }
}
