import Foundation

/// The ways to prove who you are in the reset flow (the seed's step 3).
public enum VerificationMethod: String, Sendable, CaseIterable {
    case email, phone, questions
}

/// Where a browser's reset flow stands, for the page that shows it.
///
/// States: `method` (address and human check done) → `code` (a code was sent by email or SMS) or
/// `questions` → `verified` → `done`; any live state → `ended` (too many wrong codes, or a password
/// change elsewhere). A flow expires ``ResetPolicy/flowLifetime`` after it started.
public struct ResetFlow: Sendable, Equatable {
    public enum Step: String, Sendable { case method, code, questions, verified, done, ended }

    public var step: Step
    public var method: VerificationMethod?
    /// When the current code stops working (code step).
    public var codeExpiresAt: Date?
    /// When "send a new code" may be used again (code step).
    public var nextSendAt: Date?
    /// Codes this flow may still send.
    public var sendsLeft: Int
    /// Code submissions this flow still accepts.
    public var attemptsLeft: Int
    /// The two questions (questions step): the account's, or stable decoys for an address without them.
    public var questions: [String]
    /// Until when the questions path is locked for this address, if it is.
    public var questionsLockedUntil: Date?
}

/// What happened to one submission of the flow. The same outcomes, pages and timing come back for
/// known and unknown addresses (OWASP ASVS 6.3.8).
public enum ResetOutcome: Sendable, Equatable {
    /// Step 1 accepted: the flow waits for a method.
    case started
    /// The email address is not an address (checked by its form alone).
    case invalidEmail
    /// The human check was missing, wrong, expired or used before.
    case humanCheckFailed
    /// Too many requests from this client (HTTP 429).
    case rateLimited
    /// A code was sent if it could be (unknown addresses and unbound phones send nothing, and look the same).
    case codeSent
    /// A new code cannot be sent yet, or no more can be sent in this flow.
    case sendRefused
    /// No code was sent: the address's budget for this client, or its daily ceiling, is spent
    /// (counted the same for unknown addresses, so the page is the same for them).
    case sendLimitReached
    /// The questions page.
    case questions
    case wrongCode(attemptsLeft: Int)
    case wrongAnswers(attemptsLeft: Int)
    case questionsLocked(until: Date)
    /// The code or answers were right: the new-password page.
    case verified
    /// The new password breaks the policy; nothing changed.
    case passwordRejected([PasswordPolicy.Problem])
    /// The password was changed; every session of the account ended.
    case passwordChanged
    /// The flow cannot go on (no flow, expired, used up, or out of order): start again.
    case ended
}
