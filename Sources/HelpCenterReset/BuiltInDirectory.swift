import Foundation

/// The accounts in the help center's own tables (`helpcenter accounts add|import`): answers and
/// passwords as Argon2id hashes (RFC 9106); a password change ends the account's sessions, codes and
/// flows in the same statement (a trigger).
public struct BuiltInDirectory: AccountDirectory {
    let store: ResetStore
    let hasher: PasswordHasher
    /// A hash verified when there is no account, so both paths do the same Argon2 work.
    let timingHash: String
    let clock: @Sendable () -> Date

    public init(store: ResetStore, hasher: PasswordHasher, clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.hasher = hasher
        self.clock = clock
        self.timingHash = (try? hasher.hash("no account has this answer")) ?? ""
    }

    public func account(email: String) async throws -> Account? {
        try await store.account(email: email)?.account
    }

    public func account(id: String) async throws -> Account? {
        try await store.account(id: id)?.account
    }

    /// Both answers normalized (``SecurityQuestions/normalizedAnswer(_:)``) and verified against their
    /// hashes, each one Argon2 verification whether or not the account (or its questions) exists.
    public func verifyAnswers(accountID: String, answers: [String]) async throws -> Bool {
        let hashes = try await store.account(id: accountID)?.answerHashes ?? []
        var correct = answers.count == SecurityQuestions.count && hashes.count == SecurityQuestions.count
        for index in 0..<SecurityQuestions.count {
            let answer = index < answers.count ? SecurityQuestions.normalizedAnswer(answers[index]) : ""
            let matches = hasher.verify(answer, against: index < hashes.count ? hashes[index] : timingHash)
            correct = correct && matches && !answer.isEmpty
        }
        return correct
    }

    public func setPassword(accountID: String, password: String) async throws {
        try await store.changePassword(accountID: accountID, hash: try hasher.hash(password), now: Int64(clock().timeIntervalSince1970))
    }
}
