import Foundation

/// Where the accounts the walkthrough resets live: the built-in tables (``BuiltInDirectory``) or the
/// marketplace's own account system behind an HTTP API (`HTTPAccountDirectory`, in
/// HelpCenterDelivery; the API is `docs/account-directory.openapi.yaml`).
///
/// The flow asks the same questions for known and unknown addresses: an unknown address's flow
/// looks up its keyed hash as an id (which no account has) and has its answers checked against
/// nothing, so that every step costs the same.
public protocol AccountDirectory: Sendable {
    /// The account with this address (compared as ``Account/normalizedEmail(_:)``), or nil.
    /// - Throws: ``AccountDirectoryUnavailable`` when the directory cannot answer.
    func account(email: String) async throws -> Account?
    /// The account with this id, or nil.
    /// - Throws: ``AccountDirectoryUnavailable``.
    func account(id: String) async throws -> Account?
    /// Whether `answers` (two, as typed) match the account's security answers; false, after the
    /// same work, for an unknown id or an account without questions.
    /// - Throws: ``AccountDirectoryUnavailable``.
    func verifyAnswers(accountID: String, answers: [String]) async throws -> Bool
    /// Sets the account's new password (checked against the policy already) and ends its sessions.
    /// Safe to call again with the same password after a failure.
    /// - Throws: ``AccountDirectoryUnavailable``: the step did not finish (the account's sessions may
    ///   have been ended, never the password set with sessions left open).
    func setPassword(accountID: String, password: String) async throws
}

/// The account directory did not answer, or answered something it should not (the reason is for
/// the operator's log line: it holds no address, answer or password).
public struct AccountDirectoryUnavailable: Error, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "the account directory is unavailable: \(reason)" }
}
