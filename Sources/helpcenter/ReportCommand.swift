import ArgumentParser
import Foundation
import HelpCenterFeedback
import HelpCenterReset
import HelpCenterServer
import Logging

/// `helpcenter report`: what readers said and searched for without finding.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print helpfulness per article and the top searches that found nothing.",
        discussion: "Reads the votes and missed searches that helpcenter serve stored in its database."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, csv }

    @Option(name: .long, help: "Only feedback on or after this day (YYYY-MM-DD).") var since: String?
    @Option(name: .long, help: "text or csv.") var format: Format = .text
    @Option(name: .long, help: "The database helpcenter serve uses.") var database = "helpcenter.sqlite"

    func run() async throws {
        var start = Date(timeIntervalSince1970: 0)
        if let since {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd"
            guard let date = formatter.date(from: since) else { throw ValidationError("--since takes a day as YYYY-MM-DD, not '\(since)'") }
            start = date
        }
        guard FileManager.default.fileExists(atPath: database) else {
            throw ValidationError("no database '\(database)'; pass the --database helpcenter serve uses")
        }
        var logger = Logger(label: "helpcenter")
        logger.logLevel = .warning
        let opened = try await ResetDatabase.open(path: database, logger: logger)
        let store = opened.feedback
        let articles = try await store.articleReport(since: start)
        let misses = try await store.missedSearches(since: start)
        try await opened.close()
        /// Readers' text without control characters (no terminal escape sequences, no forged lines),
        /// format characters (bidirectional overrides that reorder what the terminal shows, zero-width
        /// characters) or line and paragraph separators.
        func clean(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map { AccountStore.isUnprintable($0) ? " " : $0 }))
        }
        switch format {
        case .text:
            print("Helpfulness (\(plural(articles.count, "article"))):")
            for article in articles {
                let reasons = article.reasons.map { "\($0.reason) \($0.count)" }.joined(separator: ", ")
                print("  \(clean(article.article))  \(article.helpfulPercent)% helpful (\(article.yes) yes, \(article.no) no)\(reasons.isEmpty ? "" : "; " + reasons)")
                for comment in article.comments.prefix(3) { print("    “\(clean(comment))”") }
            }
            print("Searches that found nothing:")
            for miss in misses { print("  \(miss.count)  \(clean(miss.query))") }
        case .csv:
            // Quoted, and a leading = + - @ made text, so a spreadsheet never runs a reader's formula (OWASP CSV injection).
            func field(_ text: String) -> String {
                let safe = clean(text)
                let guarded = safe.first.map { "=+-@".contains($0) } == true ? "'" + safe : safe
                return "\"" + guarded.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            print("kind,article_or_query,yes,no,helpful_percent,reasons")
            for article in articles {
                print(["article", field(article.article), "\(article.yes)", "\(article.no)", "\(article.helpfulPercent)",
                       field(article.reasons.map { "\($0.reason) \($0.count)" }.joined(separator: "; "))].joined(separator: ","))
            }
            for miss in misses { print(["missed-search", field(miss.query), "", "", "", field("\(miss.count)")].joined(separator: ",")) }
        }
    }
}
