import Foundation
import SQLKit

/// Every SQL statement of the accounts and the reset flow, in one place, over any SQLKit database.
///
/// The statements are plain SQL that SQLite (3.35+) and PostgreSQL both run: `TEXT`, `BIGINT` and
/// `INTEGER` columns, `INSERT … ON CONFLICT`, `UPDATE … RETURNING`. Times are Unix seconds. Each state
/// change is one statement whose `WHERE` clause is its guard, so concurrent requests need no
/// transaction: of sixteen submissions of one code, exactly one `UPDATE … WHERE used_at IS NULL`
/// returns a row (the pattern of Ory Kratos' fix 6ce2bd8).
///
/// Tokens and codes never reach the database: flows are keyed by the SHA-256 of their cookie token,
/// codes by their HMAC. The outbox holds a message body only until it is delivered.
public struct ResetStore: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    static let schema: [SQLQueryString] = [
        """
        CREATE TABLE IF NOT EXISTS accounts (
            id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, email_display TEXT NOT NULL, phone TEXT,
            name TEXT NOT NULL, password_hash TEXT NOT NULL, questions TEXT NOT NULL, answer_hashes TEXT NOT NULL,
            password_changed_at BIGINT NOT NULL, created_at BIGINT NOT NULL)
        """,
        "CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL, created_at BIGINT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS reset_flows (
            id TEXT PRIMARY KEY, account_id TEXT, account_key TEXT NOT NULL, state TEXT NOT NULL, method TEXT,
            created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, code_failures INTEGER NOT NULL,
            sends INTEGER NOT NULL, next_send_at BIGINT NOT NULL, verified_at BIGINT)
        """,
        "CREATE TABLE IF NOT EXISTS reset_codes (flow_id TEXT PRIMARY KEY, code_hmac TEXT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT)",
        "CREATE TABLE IF NOT EXISTS question_lockouts (account_key TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS rate_events (kind TEXT NOT NULL, client_key TEXT NOT NULL, at BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS rate_events_by_key ON rate_events (kind, client_key, at)",
        "CREATE TABLE IF NOT EXISTS sign_in_attempts (id TEXT PRIMARY KEY, client_key TEXT NOT NULL, at BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS proof_of_work_used (nonce TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS outbox (
            id TEXT PRIMARY KEY, account_key TEXT NOT NULL, kind TEXT NOT NULL, channel TEXT NOT NULL, destination TEXT,
            subject TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL, sent_at BIGINT, attempts INTEGER NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS outbox_by_account ON outbox (account_key, kind, created_at)",
        // A password change ends the account's sessions, codes and unfinished flows in the same
        // statement as the change itself, so no failure can leave one without the other. (SQLite's
        // trigger syntax; PostgreSQL needs the same as a trigger function.)
        """
        CREATE TRIGGER IF NOT EXISTS password_changed AFTER UPDATE OF password_hash ON accounts BEGIN
            DELETE FROM sessions WHERE account_id = NEW.id;
            DELETE FROM reset_codes WHERE flow_id IN (SELECT id FROM reset_flows WHERE account_key = NEW.id);
            UPDATE reset_flows SET state = 'ended' WHERE account_key = NEW.id AND state <> 'done';
        END
        """,
    ]

    /// The migrations after the first schema, in order: migration N + 2 is `migrations[N]`.
    static let migrations: [[SQLQueryString]] = [
        // 2: the outbox as a delivery queue (states, backoff, the code's expiry, the last error).
        [
            "ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'queued'",
            "ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE outbox ADD COLUMN expires_at BIGINT",
            "ALTER TABLE outbox ADD COLUMN last_error TEXT",
            "UPDATE outbox SET state = 'sent' WHERE sent_at IS NOT NULL",
            "UPDATE outbox SET state = 'failed', body = '' WHERE sent_at IS NULL AND attempts >= 5",
            "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (state, next_attempt_at)",
        ],
    ]

    /// Brings the database to the newest schema: the first schema's tables that do not exist yet, then
    /// each migration not yet recorded in `schema_migrations` (version, time applied), in order.
    public func migrate() async throws {
        for statement in Self.schema { try await database.raw(statement).run() }
        try await database.raw("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)").run()
        let applied = Set(try await database.raw("SELECT version FROM schema_migrations").all().map { try $0.decode(column: "version", as: Int.self) })
        for (index, statements) in Self.migrations.enumerated() where !applied.contains(index + 2) {
            for statement in statements { try await database.raw(statement).run() }
            try await database.raw("INSERT INTO schema_migrations (version, applied_at) VALUES (\(bind: index + 2), \(bind: Int64(Date().timeIntervalSince1970)))").run()
        }
    }

    // MARK: Accounts

    struct AccountRow: Decodable {
        var id: String
        var email_display: String
        var phone: String?
        var name: String
        var password_hash: String
        var questions: String
        var answer_hashes: String

        var account: Account {
            Account(id: id, email: email_display, phone: phone, name: name, questions: Self.lines(questions))
        }
        var answerHashes: [String] { Self.lines(answer_hashes) }
        static func lines(_ text: String) -> [String] { text.isEmpty ? [] : text.components(separatedBy: "\n") }
    }

    func insertAccount(_ account: Account, passwordHash: String, answerHashes: [String], now: Int64) async throws -> Bool {
        let rows = try await database.raw("""
            INSERT INTO accounts (id, email, email_display, phone, name, password_hash, questions, answer_hashes, password_changed_at, created_at)
            VALUES (\(bind: account.id), \(bind: Account.normalizedEmail(account.email)), \(bind: account.email), \(bind: account.phone),
                    \(bind: account.name), \(bind: passwordHash), \(bind: account.questions.joined(separator: "\n")),
                    \(bind: answerHashes.joined(separator: "\n")), \(bind: now), \(bind: now))
            ON CONFLICT (email) DO NOTHING RETURNING id
            """).all()
        return !rows.isEmpty
    }

    func account(email: String) async throws -> AccountRow? {
        try await database.raw("SELECT * FROM accounts WHERE email = \(bind: Account.normalizedEmail(email))").first(decoding: AccountRow.self)
    }

    func account(id: String) async throws -> AccountRow? {
        try await database.raw("SELECT * FROM accounts WHERE id = \(bind: id)").first(decoding: AccountRow.self)
    }

    func accounts() async throws -> [AccountRow] {
        try await database.raw("SELECT * FROM accounts ORDER BY email").all(decoding: AccountRow.self)
    }

    /// Sets a new password hash and ends everything the old password opened: sessions, outstanding
    /// codes and unfinished flows of the account.
    /// Sets the account's password hash; the `password_changed` trigger ends its sessions, codes and
    /// unfinished flows within the same statement (one transaction).
    func changePassword(accountID: String, hash: String, now: Int64) async throws {
        try await database.raw("UPDATE accounts SET password_hash = \(bind: hash), password_changed_at = \(bind: now) WHERE id = \(bind: accountID)").run()
    }

    // MARK: Sessions

    func insertSession(tokenHash: String, accountID: String, now: Int64) async throws {
        try await database.raw("INSERT INTO sessions (token_hash, account_id, created_at) VALUES (\(bind: tokenHash), \(bind: accountID), \(bind: now))").run()
    }

    func sessionAccount(tokenHash: String, createdAfter: Int64) async throws -> String? {
        try await database.raw("SELECT account_id FROM sessions WHERE token_hash = \(bind: tokenHash) AND created_at > \(bind: createdAfter)")
            .first()?.decode(column: "account_id", as: String.self)
    }

    func deleteSession(tokenHash: String) async throws {
        try await database.raw("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)").run()
    }

    func sessionCount(accountID: String) async throws -> Int {
        try await database.raw("SELECT COUNT(*) AS n FROM sessions WHERE account_id = \(bind: accountID)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: Rate limits and proof of work

    /// Records one event of `kind` for `clientKey` and returns how many there are in the window
    /// (this one included), so that of concurrent requests no more than the limit see a count within it.
    func recordEvent(_ kind: String, clientKey: String, now: Int64, window: Int64) async throws -> Int {
        try await database.raw("DELETE FROM rate_events WHERE kind = \(bind: kind) AND at <= \(bind: now - window)").run()
        try await database.raw("INSERT INTO rate_events (kind, client_key, at) VALUES (\(bind: kind), \(bind: clientKey), \(bind: now))").run()
        return try await eventCount(kind, clientKey: clientKey, now: now, window: window)
    }

    func eventCount(_ kind: String, clientKey: String, now: Int64, window: Int64) async throws -> Int {
        try await database.raw("""
            SELECT COUNT(*) AS n FROM rate_events WHERE kind = \(bind: kind) AND client_key = \(bind: clientKey) AND at > \(bind: now - window)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Takes a sign-in attempt for the client before the password is checked (so concurrent
    /// guesses count at once); returns the attempt's id and the client's attempts in the window.
    func claimSignInAttempt(clientKey: String, now: Int64, window: Int64) async throws -> (id: String, count: Int) {
        let id = UUID().uuidString
        try await database.raw("DELETE FROM sign_in_attempts WHERE at <= \(bind: now - window)").run()
        try await database.raw("INSERT INTO sign_in_attempts (id, client_key, at) VALUES (\(bind: id), \(bind: clientKey), \(bind: now))").run()
        let count = try await database.raw("SELECT COUNT(*) AS n FROM sign_in_attempts WHERE client_key = \(bind: clientKey)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
        return (id, count)
    }

    /// Forgets a sign-in attempt that succeeded (only failures count against the client).
    func releaseSignInAttempt(id: String) async throws {
        try await database.raw("DELETE FROM sign_in_attempts WHERE id = \(bind: id)").run()
    }

    /// Burns a proof-of-work nonce; false when it was used before (a replay).
    func burnProofOfWork(nonce: String, expiresAt: Int64, now: Int64) async throws -> Bool {
        try await database.raw("DELETE FROM proof_of_work_used WHERE expires_at < \(bind: now)").run()
        let rows = try await database.raw("""
            INSERT INTO proof_of_work_used (nonce, expires_at) VALUES (\(bind: nonce), \(bind: expiresAt)) ON CONFLICT (nonce) DO NOTHING RETURNING nonce
            """).all()
        return !rows.isEmpty
    }

    // MARK: Flows

    struct FlowRow: Decodable {
        var id: String
        var account_id: String?
        var account_key: String
        var state: String
        var method: String?
        var expires_at: Int64
        var code_failures: Int
        var sends: Int
        var next_send_at: Int64
        var verified_at: Int64?
    }

    /// Starts a flow for the browser (replacing one it had), for an account or an unknown address.
    func startFlow(id: String, accountID: String?, accountKey: String, now: Int64, lifetime: Int64) async throws {
        try await database.raw("DELETE FROM reset_codes WHERE flow_id = \(bind: id)").run()
        try await database.raw("DELETE FROM reset_flows WHERE id = \(bind: id)").run()
        try await database.raw("""
            INSERT INTO reset_flows (id, account_id, account_key, state, method, created_at, expires_at, code_failures, sends, next_send_at, verified_at)
            VALUES (\(bind: id), \(bind: accountID), \(bind: accountKey), 'method', NULL, \(bind: now), \(bind: now + lifetime), 0, 0, 0, NULL)
            """).run()
    }

    func flow(id: String) async throws -> FlowRow? {
        try await database.raw("SELECT * FROM reset_flows WHERE id = \(bind: id)").first(decoding: FlowRow.self)
    }

    /// Moves a live flow that has not been verified to `state` with `method`.
    func choose(flowID: String, state: String, method: String, now: Int64) async throws -> Bool {
        !(try await database.raw("""
            UPDATE reset_flows SET state = \(bind: state), method = \(bind: method)
            WHERE id = \(bind: flowID) AND state IN ('method', 'code', 'questions') AND expires_at > \(bind: now) RETURNING id
            """).all()).isEmpty
    }

    /// Counts one send of the flow when its cooldown has passed and its sends are not used up, and
    /// sets the next cooldown (`firstDelay` × 2^(sends before this one)). Returns false otherwise.
    func claimSend(flowID: String, now: Int64, maximum: Int, firstDelay: Int64) async throws -> Bool {
        !(try await database.raw("""
            UPDATE reset_flows SET sends = sends + 1, next_send_at = \(bind: now) + \(bind: firstDelay) * (1 << sends)
            WHERE id = \(bind: flowID) AND state = 'code' AND sends < \(bind: maximum) AND next_send_at <= \(bind: now)
              AND expires_at > \(bind: now) RETURNING id
            """).all()).isEmpty
    }

    /// Replaces every outstanding code of the account (or unknown address) with this flow's new one.
    /// Gives a flow (and its code) a new id: the digest of a new browser token.
    func moveFlow(from old: String, to new: String) async throws {
        try await database.raw("UPDATE reset_codes SET flow_id = \(bind: new) WHERE flow_id = \(bind: old)").run()
        try await database.raw("UPDATE reset_flows SET id = \(bind: new) WHERE id = \(bind: old)").run()
    }

    /// The flow's one code, replacing its earlier one (codes of other flows are left alone).
    func replaceCode(flowID: String, codeMAC: String, expiresAt: Int64) async throws {
        try await database.raw("""
            INSERT INTO reset_codes (flow_id, code_hmac, expires_at, used_at) VALUES (\(bind: flowID), \(bind: codeMAC), \(bind: expiresAt), NULL)
            ON CONFLICT (flow_id) DO UPDATE SET code_hmac = excluded.code_hmac, expires_at = excluded.expires_at, used_at = NULL
            """).run()
    }

    func codeExpiry(flowID: String) async throws -> Int64? {
        try await database.raw("SELECT expires_at FROM reset_codes WHERE flow_id = \(bind: flowID) AND used_at IS NULL")
            .first()?.decode(column: "expires_at", as: Int64.self)
    }

    /// Counts a code submission before it is checked; nil when the flow takes no more (ended,
    /// expired, or out of attempts), else the number of submissions so far.
    func countCodeSubmission(flowID: String, now: Int64, maximum: Int) async throws -> Int? {
        try await database.raw("""
            UPDATE reset_flows SET code_failures = code_failures + 1
            WHERE id = \(bind: flowID) AND state = 'code' AND code_failures < \(bind: maximum) AND expires_at > \(bind: now)
            RETURNING code_failures
            """).first()?.decode(column: "code_failures", as: Int.self)
    }

    /// Uses the flow's code if it is `codeMAC`, unused and unexpired: true for exactly one caller.
    func useCode(flowID: String, codeMAC: String, now: Int64) async throws -> Bool {
        !(try await database.raw("""
            UPDATE reset_codes SET used_at = \(bind: now)
            WHERE flow_id = \(bind: flowID) AND code_hmac = \(bind: codeMAC) AND used_at IS NULL AND expires_at > \(bind: now)
            RETURNING flow_id
            """).all()).isEmpty
    }

    /// Ends a flow out of code attempts if it still waits for its code and nobody has used the code:
    /// false when another request used it (and is verifying the flow, or did), so that a request that
    /// lost that race never ends the flow it won.
    func endFlowAfterWrongCodes(flowID: String) async throws -> Bool {
        !(try await database.raw("""
            UPDATE reset_flows SET state = 'ended' WHERE id = \(bind: flowID) AND state = 'code'
              AND NOT EXISTS (SELECT 1 FROM reset_codes WHERE flow_id = \(bind: flowID) AND used_at IS NOT NULL) RETURNING id
            """).all()).isEmpty
    }

    /// Marks the flow verified if it is still in `state` (`code` or `questions`); false otherwise.
    func markVerified(flowID: String, now: Int64, from state: String) async throws -> Bool {
        !(try await database.raw("""
            UPDATE reset_flows SET state = 'verified', verified_at = \(bind: now) WHERE id = \(bind: flowID) AND state = \(bind: state) RETURNING id
            """).all()).isEmpty
    }

    /// Ends a verified flow whose verification is recent enough; returns it for exactly one caller.
    func finishVerifiedFlow(flowID: String, verifiedAfter: Int64) async throws -> FlowRow? {
        try await database.raw("""
            UPDATE reset_flows SET state = 'done'
            WHERE id = \(bind: flowID) AND state = 'verified' AND verified_at > \(bind: verifiedAfter) RETURNING *
            """).first(decoding: FlowRow.self)
    }

    /// Gives a flow claimed by ``finishVerifiedFlow(flowID:verifiedAfter:)`` back (the password could
    /// not be set).
    func reopenFinishedFlow(flowID: String) async throws {
        try await database.raw("UPDATE reset_flows SET state = 'verified' WHERE id = \(bind: flowID) AND state = 'done'").run()
    }

    /// Ends the account's outstanding codes and unfinished flows (after its password changed).
    func endFlows(accountKey: String) async throws {
        try await database.raw("DELETE FROM reset_codes WHERE flow_id IN (SELECT id FROM reset_flows WHERE account_key = \(bind: accountKey))").run()
        try await database.raw("UPDATE reset_flows SET state = 'ended' WHERE account_key = \(bind: accountKey) AND state <> 'done'").run()
    }

    // MARK: Security questions

    func questionLockout(accountKey: String) async throws -> Int64 {
        try await database.raw("SELECT locked_until FROM question_lockouts WHERE account_key = \(bind: accountKey)")
            .first()?.decode(column: "locked_until", as: Int64.self) ?? 0
    }

    /// Takes one answer attempt for the address before the answers are checked, atomically: nil
    /// while the path is locked or its attempts are used up; the `maximum`th attempt also locks the
    /// path for `lockout` seconds (cleared again when those answers are right), so concurrent
    /// submissions cannot get more than `maximum` answers checked.
    func claimAnswerAttempt(accountKey: String, now: Int64, maximum: Int, lockout: Int64) async throws -> Int? {
        try await database.raw("""
            INSERT INTO question_lockouts (account_key, failures, locked_until) VALUES (\(bind: accountKey), 0, 0) ON CONFLICT (account_key) DO NOTHING
            """).run()
        try await database.raw("""
            UPDATE question_lockouts SET failures = 0, locked_until = 0
            WHERE account_key = \(bind: accountKey) AND locked_until > 0 AND locked_until <= \(bind: now)
            """).run()
        return try await database.raw("""
            UPDATE question_lockouts SET failures = failures + 1,
                locked_until = CASE WHEN failures + 1 >= \(bind: maximum) THEN \(bind: now + lockout) ELSE locked_until END
            WHERE account_key = \(bind: accountKey) AND failures < \(bind: maximum) AND locked_until <= \(bind: now)
            RETURNING failures
            """).first()?.decode(column: "failures", as: Int.self)
    }

    /// Gives back an attempt taken by ``claimAnswerAttempt(accountKey:now:maximum:lockout:)`` whose
    /// answers could not be checked (the account directory failed), lifting the lock it set.
    func releaseAnswerAttempt(accountKey: String, maximum: Int) async throws {
        try await database.raw("""
            UPDATE question_lockouts SET failures = failures - 1,
                locked_until = CASE WHEN failures >= \(bind: maximum) THEN 0 ELSE locked_until END
            WHERE account_key = \(bind: accountKey) AND failures > 0
            """).run()
    }

    func clearWrongAnswers(accountKey: String) async throws {
        try await database.raw("DELETE FROM question_lockouts WHERE account_key = \(bind: accountKey)").run()
    }

    // MARK: Outbox

    struct OutboxRow: Decodable {
        var id: String
        var kind: String
        var channel: String
        var destination: String?
        var subject: String
        var body: String
        var attempts: Int
        var expires_at: Int64?
    }

    /// Queues a message that is worth sending until `expiresAt` (its code's expiry). With
    /// `capPerWindow`, the message is queued only when the account has had fewer messages of `kind`
    /// in the window; returns whether it was queued.
    func enqueue(accountKey: String, kind: String, channel: String, destination: String?, subject: String, body: String,
                 now: Int64, expiresAt: Int64, capPerWindow: (maximum: Int, window: Int64)? = nil) async throws -> Bool {
        let cap = capPerWindow ?? (Int.max, 0)
        let rows = try await database.raw("""
            INSERT INTO outbox (id, account_key, kind, channel, destination, subject, body, created_at, sent_at, attempts,
                                state, next_attempt_at, expires_at)
            SELECT \(bind: UUID().uuidString), \(bind: accountKey), \(bind: kind), \(bind: channel), \(bind: destination),
                   \(bind: subject), \(bind: body), \(bind: now), NULL, 0, 'queued', 0, \(bind: expiresAt)
            WHERE (SELECT COUNT(*) FROM outbox WHERE account_key = \(bind: accountKey) AND kind = \(bind: kind)
                   AND created_at > \(bind: now - cap.window)) < \(bind: cap.maximum)
            RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// Queued messages due at `now`, oldest first.
    func dueMessages(now: Int64, limit: Int) async throws -> [OutboxRow] {
        try await database.raw("""
            SELECT * FROM outbox WHERE state = 'queued' AND next_attempt_at <= \(bind: now) ORDER BY created_at, id LIMIT \(literal: limit)
            """).all(decoding: OutboxRow.self)
    }

    /// Marks a message delivered and erases its body.
    func markSent(id: String, now: Int64) async throws {
        try await database.raw("UPDATE outbox SET state = 'sent', sent_at = \(bind: now), body = '', last_error = NULL WHERE id = \(bind: id)").run()
    }

    /// Marks a message without a destination (an unknown address, an account with no phone) as
    /// dropped: it was queued only so that every address takes the same path.
    func markDropped(id: String, now: Int64) async throws {
        try await database.raw("UPDATE outbox SET state = 'dropped', sent_at = \(bind: now), body = '' WHERE id = \(bind: id)").run()
    }

    /// Takes one delivery attempt of a queued message before it is sent (state `sending`), so that a
    /// send whose outcome cannot be recorded is still counted and never repeated: nil when the
    /// message is not queued or out of attempts (or the attempt cannot be written: then it is not
    /// sent either).
    func claimDelivery(id: String, maximumAttempts: Int) async throws -> Int? {
        try await database.raw("""
            UPDATE outbox SET attempts = attempts + 1, state = 'sending'
            WHERE id = \(bind: id) AND state = 'queued' AND attempts < \(bind: maximumAttempts)
            RETURNING attempts
            """).first()?.decode(column: "attempts", as: Int.self)
    }

    /// Puts a message whose attempt failed back in the queue until `nextAttemptAt`.
    func markRetry(id: String, nextAttemptAt: Int64, error: String) async throws {
        try await database.raw("""
            UPDATE outbox SET state = 'queued', next_attempt_at = \(bind: nextAttemptAt), last_error = \(bind: error)
            WHERE id = \(bind: id) AND state = 'sending'
            """).run()
    }

    /// Marks a message failed for good and erases its body (its code must not stay in the table).
    func markFailed(id: String, error: String) async throws {
        try await database.raw("UPDATE outbox SET state = 'failed', body = '', last_error = \(bind: error) WHERE id = \(bind: id)").run()
    }

    /// Fails the queued or sending messages whose code expired (their bodies erased); returns them.
    func expireMessages(now: Int64) async throws -> [OutboxRow] {
        try await database.raw("""
            UPDATE outbox SET state = 'failed', body = '', last_error = 'its code expired before it could be delivered'
            WHERE state IN ('queued', 'sending') AND expires_at <= \(bind: now)
            RETURNING *
            """).all(decoding: OutboxRow.self)
    }

    /// One outbox row as the operator sees it (`helpcenter outbox list`): no body, the destination masked.
    public struct OutboxEntry: Sendable, Decodable, Equatable {
        public var id: String
        public var kind: String
        public var channel: String
        public var destination: String?
        /// `queued`, `sending`, `sent`, `failed` or `dropped` (no destination: an unknown address).
        public var state: String
        public var attempts: Int
        /// Unix seconds.
        public var created_at: Int64
        public var next_attempt_at: Int64
        public var expires_at: Int64?
        public var last_error: String?
    }

    /// The newest `limit` messages, newest first, or those in `state`.
    func outboxEntries(state: String?, limit: Int) async throws -> [OutboxEntry] {
        let filter: SQLQueryString = state.map { "WHERE state = \(bind: $0)" } ?? ""
        return try await database.raw("""
            SELECT id, kind, channel, destination, state, attempts, created_at, next_attempt_at, expires_at, last_error
            FROM outbox \(filter) ORDER BY created_at DESC, id LIMIT \(literal: limit)
            """).all(decoding: OutboxEntry.self)
    }

    /// Makes a queued message due now (with one attempt left at least), or puts back in the queue one
    /// left `sending` by a process that stopped mid-send, while its code works; returns its new
    /// state, nil when there is no such message. A failed message cannot be retried: its body is gone.
    func retryNow(id: String, now: Int64) async throws -> String? {
        try await database.raw("""
            UPDATE outbox SET state = 'queued', next_attempt_at = \(bind: now),
                attempts = CASE WHEN attempts >= \(literal: Outbox.maximumAttempts) THEN \(literal: Outbox.maximumAttempts - 1) ELSE attempts END
            WHERE id = \(bind: id) AND state IN ('queued', 'sending') AND (expires_at IS NULL OR expires_at > \(bind: now))
            RETURNING state
            """).first()?.decode(column: "state", as: String.self)
    }
}
