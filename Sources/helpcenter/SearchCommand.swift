import ArgumentParser
import Foundation
import HelpCenterSearch

/// `helpcenter search`: query a built site's index from the terminal, for agents and scripts.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the articles of a built site.",
        discussion: "Reads the index that helpcenter build wrote into SITE/search/. Every word is required (articles with any word are shown when none has all); the last word also matches as a prefix; small typos are corrected."
    )

    @Argument(help: "The words to search for.")
    var query: String

    @Option(name: .long, help: "Only results in this top-level category (its title or URL name).")
    var category: String?

    @Option(name: .long, help: "At most this many results (1-100).")
    var limit = 10

    @Option(name: .long, help: "The built site folder.")
    var site = "Site"

    @Flag(name: .long, help: "Print the response as JSON.")
    var json = false

    func run() throws {
        let index: SearchIndex
        do {
            index = try SearchIndex.load(from: URL(fileURLWithPath: site).appendingPathComponent("search"))
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
        if let category, index.categoryIndex(named: category) == nil {
            // The search command's own usage, not the top-level one ArgumentParser prints for errors from run().
            let names = index.categories.map { "  \($0.title)  (\($0.url.split(separator: "/").last.map(String.init) ?? $0.url))" }
            printError("Error: no top-level category is named '\(category)'; give one of these titles or URL names:\n"
                + names.joined(separator: "\n") + "\n\nUsage: " + HelpCenterCommand.usageString(for: SearchCommand.self))
            throw ExitCode(64)
        }
        let response = index.search(query, options: SearchOptions(category: category, limit: limit))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(response), as: UTF8.self))
            return
        }
        if response.results.isEmpty {
            print("No articles match '\(query)'.")
            return
        }
        if response.matchedAnyTerm { print("No article has every word; showing articles with any of them.") }
        for (number, result) in response.results.enumerated() {
            print("\(number + 1). \(result.title)")
            print("   \(result.url)  (\(result.categories.joined(separator: " › ")))")
            print("   \(Self.plain(result.snippet))")
        }
        print("\(response.total) result\(response.total == 1 ? "" : "s")")
    }

    /// Snippet HTML as terminal text: marks become **…**, entities are decoded.
    static func plain(_ html: String) -> String {
        html.replacingOccurrences(of: "<mark>", with: "**").replacingOccurrences(of: "</mark>", with: "**")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}
