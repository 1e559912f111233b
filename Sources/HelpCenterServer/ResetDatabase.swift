import Foundation
import HelpCenterFeedback
import HelpCenterReset
import Logging
import NIOPosix
import SQLiteKit

/// The service's SQLite database file, through vapor's sqlite-kit: one connection for the reset flow
/// and accounts (SQLite serializes writers anyway) and a second for feedback, each on a thread of its
/// own, so that neither a feedback flood nor a locked file holds up the other or the static pages
/// (which read files on NIO's shared thread pool).
///
/// Every connection: `busy_timeout` 2 s (sqlite-nio's own busy handler retries without end, at full
/// CPU), write-ahead logging so that readers do not wait on the writer. A statement that still finds
/// the file locked, or read-only, throws; the server answers 503 and logs it.
public struct ResetDatabase: Sendable {
    public let connection: SQLiteConnection
    public let store: ResetStore
    /// The feedback store on its own connection (``FeedbackStore`` tables created).
    public let feedback: FeedbackStore
    let feedbackConnection: SQLiteConnection
    let threads: [NIOThreadPool]

    /// Milliseconds a statement waits for a lock held by another connection or process.
    public static let busyTimeout = 2000

    /// Opens (creating when missing) the database at `path` and creates its tables. Statements are
    /// never logged (their values include addresses and hashes).
    /// - Throws: an SQLite error naming the path when the file cannot be opened or is not a database.
    public static func open(path: String, logger: Logger) async throws -> ResetDatabase {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let (connection, resetThread) = try await openConnection(path: path, logger: quiet)
        // Hashes, addresses and phone numbers: readable by the owner only.
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let store = ResetStore(database: connection.sql(queryLogLevel: nil))
        do {
            try await store.migrate()
            let (feedbackConnection, feedbackThread) = try await openConnection(path: path, logger: quiet)
            let feedback = FeedbackStore(database: feedbackConnection.sql(queryLogLevel: nil))
            try await feedback.migrate()
            return ResetDatabase(connection: connection, store: store, feedback: feedback, feedbackConnection: feedbackConnection,
                                 threads: [resetThread, feedbackThread])
        } catch {
            try? await connection.close()
            try? await resetThread.shutdownGracefully()
            throw error
        }
    }

    /// One connection with its own thread, `busy_timeout` and write-ahead logging.
    static func openConnection(path: String, logger: Logger) async throws -> (SQLiteConnection, NIOThreadPool) {
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        do {
            let connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: thread, logger: logger,
                                                             on: MultiThreadedEventLoopGroup.singleton.any())
            let sql = connection.sql(queryLogLevel: nil)
            try await sql.raw("PRAGMA busy_timeout = \(literal: busyTimeout)").run()
            // Write-ahead logging needs a writable folder; a read-only one keeps the rollback journal.
            _ = try? await sql.raw("PRAGMA journal_mode = WAL").all()
            return (connection, thread)
        } catch {
            try? await thread.shutdownGracefully()
            throw error
        }
    }

    /// Opens the database at `path`, runs `body` with it and closes it, also when `body` throws
    /// (for the commands that use it once: `accounts`, `outbox`).
    public static func with<T>(path: String, logger: Logger, _ body: (ResetDatabase) async throws -> T) async throws -> T {
        let database = try await open(path: path, logger: logger)
        do {
            let result = try await body(database)
            try await database.close()
            return result
        } catch {
            try? await database.close()
            throw error
        }
    }

    public func close() async throws {
        try? await feedbackConnection.close()
        try await connection.close()
        for thread in threads { try? await thread.shutdownGracefully() }
    }
}
