import Foundation
import SQLKit

/// "Was this article helpful?" votes and searches that found nothing, in the service's database
/// (plain SQL that SQLite and PostgreSQL both run; times are Unix seconds).
public struct FeedbackStore: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// Why an article did not help, as the widget offers it.
    public enum Reason: String, Sendable, CaseIterable, Codable {
        case inaccurate, hardToUnderstand = "hard-to-understand", missingInformation = "missing-information", brokenLink = "broken-link", other
    }

    /// Longest comment kept, in characters.
    public static let maximumCommentLength = 1000
    /// Votes and reported searches one client may send per hour.
    public static let maximumPerClientPerHour = 30

    static let schema: [SQLQueryString] = [
        """
        CREATE TABLE IF NOT EXISTS feedback_votes (
            article TEXT NOT NULL, helpful INTEGER NOT NULL, reason TEXT, comment TEXT, at BIGINT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS feedback_votes_by_time ON feedback_votes (at)",
        "CREATE TABLE IF NOT EXISTS search_misses (query TEXT NOT NULL, at BIGINT NOT NULL)",
        // One row per client and hour: a counter, not a row per request (the old table held one per request).
        "DROP TABLE IF EXISTS feedback_clients",
        """
        CREATE TABLE IF NOT EXISTS feedback_limits (
            client_key TEXT PRIMARY KEY, window_start BIGINT NOT NULL, count INTEGER NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS feedback_limits_by_window ON feedback_limits (window_start)",
    ]

    public func migrate() async throws {
        for statement in Self.schema { try await database.raw(statement).run() }
    }

    /// Counts one submission for `clientKey` (a keyed hash of the client's address); false when it
    /// is over ``maximumPerClientPerHour`` in the client's current hour (a fixed window that starts
    /// with its first submission). One atomic upsert: a row per client, whatever the number of
    /// requests, and parallel requests cannot both take the last slot.
    public func admit(clientKey: String, now: Date) async throws -> Bool {
        let at = Int64(now.timeIntervalSince1970)
        let expired = at - 3600
        try await database.raw("DELETE FROM feedback_limits WHERE window_start <= \(bind: expired)").run()
        let count = try await database.raw("""
            INSERT INTO feedback_limits (client_key, window_start, count) VALUES (\(bind: clientKey), \(bind: at), 1)
            ON CONFLICT (client_key) DO UPDATE SET count = feedback_limits.count + 1
            RETURNING count
            """).first()?.decode(column: "count", as: Int.self) ?? Int.max
        return count <= Self.maximumPerClientPerHour
    }

    /// Clients with a counter now (at most one row each), for tests and operators.
    public func limitedClients() async throws -> Int {
        try await database.raw("SELECT COUNT(*) AS n FROM feedback_limits").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Records a vote on the article at `article` (its URL path).
    public func vote(article: String, helpful: Bool, reason: Reason?, comment: String?, now: Date) async throws {
        let comment = comment.map { String($0.prefix(Self.maximumCommentLength)) }.flatMap { $0.isEmpty ? nil : $0 }
        try await database.raw("""
            INSERT INTO feedback_votes (article, helpful, reason, comment, at)
            VALUES (\(bind: article), \(bind: helpful ? 1 : 0), \(bind: reason?.rawValue), \(bind: comment), \(bind: Int64(now.timeIntervalSince1970)))
            """).run()
    }

    /// Records a search that found nothing (folded to lowercase, at most 200 characters).
    public func searchMissed(_ query: String, now: Date) async throws {
        let query = String(query.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().prefix(200))
        guard !query.isEmpty else { return }
        try await database.raw("INSERT INTO search_misses (query, at) VALUES (\(bind: query), \(bind: Int64(now.timeIntervalSince1970)))").run()
    }

    /// Helpfulness per article since `since`, most "no" votes first.
    public func articleReport(since: Date) async throws -> [ArticleFeedback] {
        struct Row: Decodable { var article: String; var yes: Int; var no: Int }
        let rows = try await database.raw("""
            SELECT article, SUM(helpful) AS yes, SUM(1 - helpful) AS no FROM feedback_votes
            WHERE at >= \(bind: Int64(since.timeIntervalSince1970)) GROUP BY article ORDER BY no DESC, yes DESC, article
            """).all(decoding: Row.self)
        var result: [ArticleFeedback] = []
        for row in rows {
            struct Reason: Decodable { var reason: String; var n: Int }
            let reasons = try await database.raw("""
                SELECT reason, COUNT(*) AS n FROM feedback_votes
                WHERE article = \(bind: row.article) AND helpful = 0 AND reason IS NOT NULL AND at >= \(bind: Int64(since.timeIntervalSince1970))
                GROUP BY reason ORDER BY n DESC, reason
                """).all(decoding: Reason.self)
            let comments = try await database.raw("""
                SELECT comment FROM feedback_votes
                WHERE article = \(bind: row.article) AND comment IS NOT NULL AND at >= \(bind: Int64(since.timeIntervalSince1970)) ORDER BY at DESC
                """).all().map { try $0.decode(column: "comment", as: String.self) }
            result.append(ArticleFeedback(article: row.article, yes: row.yes, no: row.no, reasons: reasons.map { ($0.reason, $0.n) }, comments: comments))
        }
        return result
    }

    /// The most frequent searches that found nothing since `since`.
    public func missedSearches(since: Date, limit: Int = 20) async throws -> [(query: String, count: Int)] {
        struct Row: Decodable { var query: String; var n: Int }
        return try await database.raw("""
            SELECT query, COUNT(*) AS n FROM search_misses WHERE at >= \(bind: Int64(since.timeIntervalSince1970))
            GROUP BY query ORDER BY n DESC, query LIMIT \(literal: limit)
            """).all(decoding: Row.self).map { ($0.query, $0.n) }
    }
}

/// The votes of one article.
public struct ArticleFeedback: Sendable {
    public var article: String
    public var yes: Int
    public var no: Int
    /// "No" reasons with their counts, most frequent first.
    public var reasons: [(reason: String, count: Int)]
    public var comments: [String]

    /// Share of "yes" votes, 0…100.
    public var helpfulPercent: Int { yes + no == 0 ? 0 : Int((Double(yes) * 100 / Double(yes + no)).rounded()) }
}
