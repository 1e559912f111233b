import Foundation
import HelpCenterFeedback
import HelpCenterTestSupport
import Logging
import SQLiteKit
import Testing

/// `helpcenter report` over a database holding votes and missed searches.
@Suite struct ReportCommandTests {
    let cli = CommandLineTests()

    /// The feedback tables in `h.sqlite` of `folder`, as `serve` makes them.
    static func store(in folder: TemporaryContent) async throws -> (SQLiteConnection, FeedbackStore) {
        let path = folder.base.appendingPathComponent("h.sqlite").path
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        let store = FeedbackStore(database: connection.sql(queryLogLevel: nil))
        try await store.migrate()
        return (connection, store)
    }

    @Test func reportsHelpfulnessPerArticleAndTopMissedSearchesAsTextAndCSV() async throws {
        let folder = try TemporaryContent([:])
        defer { folder.remove() }
        let (connection, store) = try await Self.store(in: folder)
        let old = Date(timeIntervalSince1970: 1_700_000_000)   // 2023-11-14
        let now = Date(timeIntervalSince1970: 1_800_000_000)   // 2027-01-15
        try await store.vote(article: "/a/", helpful: true, reason: nil, comment: nil, now: now)
        try await store.vote(article: "/a/", helpful: false, reason: .brokenLink, comment: "the \"pay\" link", now: now)
        try await store.vote(article: "/a/", helpful: false, reason: .brokenLink, comment: nil, now: now)
        try await store.vote(article: "/b/", helpful: true, reason: nil, comment: nil, now: now)
        try await store.vote(article: "/old/", helpful: false, reason: .other, comment: nil, now: old)
        for query in ["crypto", "crypto", "sso"] { try await store.searchMissed(query, now: now) }
        try await connection.close()

        let text = try cli.run(["report", "--database", "h.sqlite", "--since", "2026-01-01"], in: folder.base)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout == """
            Helpfulness (2 articles):
              /a/  33% helpful (1 yes, 2 no); broken-link 2
                “the "pay" link”
              /b/  100% helpful (1 yes, 0 no)
            Searches that found nothing:
              2  crypto
              1  sso

            """)
        let csv = try cli.run(["report", "--database", "h.sqlite", "--format", "csv"], in: folder.base)
        #expect(csv.stdout.split(separator: "\n").first == "kind,article_or_query,yes,no,helpful_percent,reasons")
        #expect(csv.stdout.contains("article,\"/old/\",0,1,0,\"other 1\""))
        #expect(try cli.run(["report", "--database", "h.sqlite", "--since", "yesterday"], in: folder.base).status != 0)
        #expect(try cli.run(["report", "--database", "missing.sqlite"], in: folder.base).status != 0)
    }

    /// Issue 24, finding 15: a reader's comment cannot reorder or split what the terminal shows.
    @Test func bidirectionalOverridesAndSeparatorsNeverReachTheTerminal() async throws {
        let folder = try TemporaryContent([:])
        defer { folder.remove() }
        let (connection, store) = try await Self.store(in: folder)
        let hostile = "ok \u{202E}gnp.exe\u{202C} next\u{2028}line\u{2029}para\u{200B}\u{1B}[31m red \u{2066}iso\u{2069}"
        try await store.vote(article: "/a/", helpful: false, reason: .other, comment: hostile, now: Date())
        try await store.searchMissed(hostile, now: Date())
        try await connection.close()
        for format in ["text", "csv"] {
            let report = try cli.run(["report", "--database", "h.sqlite", "--format", format], in: folder.base)
            #expect(report.status == 0)
            let unprintable = report.stdout.unicodeScalars.filter {
                [.control, .format, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory) && $0 != "\n"
            }
            #expect(unprintable.isEmpty, "\(format): \(unprintable.map { String($0.value, radix: 16) })")
            #expect(report.stdout.contains("gnp.exe"))
        }
    }
}
