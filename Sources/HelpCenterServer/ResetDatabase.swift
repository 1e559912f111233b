import Foundation
import HelpCenterReset
import Logging
import SQLiteKit

/// The reset flow's SQLite database file, through vapor's sqlite-kit: one connection (SQLite
/// serializes writers anyway), every statement from ``ResetStore``.
public struct ResetDatabase: Sendable {
    public let connection: SQLiteConnection
    public let store: ResetStore

    /// Opens (creating when missing) the database at `path` and creates its tables. Statements are
    /// never logged (their values include addresses and hashes).
    /// - Throws: an SQLite error naming the path when the file cannot be opened or is not a database.
    public static func open(path: String, logger: Logger) async throws -> ResetDatabase {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: quiet)
        // Hashes, addresses and phone numbers: readable by the owner only.
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let store = ResetStore(database: connection.sql(queryLogLevel: nil))
        do {
            try await store.migrate()
        } catch {
            try? await connection.close()
            throw error
        }
        return ResetDatabase(connection: connection, store: store)
    }

    public func close() async throws {
        try await connection.close()
    }
}
