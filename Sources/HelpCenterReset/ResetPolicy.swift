import Foundation

/// Every number of the password-reset flow, in one place (the README lists them).
///
/// Times are in seconds. Sources: OWASP ASVS 5.0 V6 (6.3.8, 6.5.1–6.5.5), NIST SP 800-63B-4
/// §3.1.3.2 and §4.2.1.2, OWASP Forgot Password and Security Questions cheat sheets, Ory Kratos
/// defaults; see `../shared/research/reset-security.md` §1.
public enum ResetPolicy {
    /// Digits of a verification code (≥ 20 bits of entropy, NIST SP 800-63B §3.1.3.2).
    public static let codeDigits = 6
    /// Lifetime of an email code: 15 minutes, as the help center's article says (NIST SP 800-63B-4
    /// §4.2.1.2 allows up to 24 h for email recovery codes; ASVS 6.5.5 asks 10 minutes: a documented deviation).
    public static let emailCodeLifetime: TimeInterval = 15 * 60
    /// Lifetime of an SMS code: 10 minutes (NIST SP 800-63B §3.1.3.2, ASVS 6.5.5).
    public static let smsCodeLifetime: TimeInterval = 10 * 60
    /// How long a "your password was changed" notice is worth delivering: a day.
    public static let noticeLifetime: TimeInterval = 24 * 60 * 60
    /// Wrong code submissions that end a flow; the correct code is refused after that, and a resend
    /// does not reset the count (NIST SP 800-63B §3.1.3.2; Kratos `max_submissions`).
    public static let maximumCodeFailures = 5
    /// Wrong code submissions for one account (or one unknown address) across all its flows in
    /// ``sendWindow``: past it, no code is checked for the account until the oldest leaves the window
    /// (the account still signs in with its password). Four flows' worth, so that new flows do not
    /// give an attacker new guesses (NIST SP 800-63B §3.2.2 rate limiting: a guess in a million each
    /// time, at most 20 a day).
    public static let maximumCodeFailuresPerAccount = 20
    /// Codes sent in one flow, at most (first send included).
    public static let maximumSendsPerFlow = 5
    /// Codes sent to one account (or one unknown address) in ``sendWindow`` at the request of one
    /// client IP address, at most: the budget each address has, which requests from other addresses
    /// cannot spend (issue 24: anyone could spend an account's whole day before).
    public static let maximumSendsPerAccountPerClient = 5
    /// Codes sent to one account (or one unknown address) in ``sendWindow`` from all addresses
    /// together, at most: a bound on messages to one inbox or phone. Spending it takes requests from
    /// 6 addresses, each with solved human checks; the owner is then told that no code can be sent.
    public static let maximumSendsPerAccount = 30
    public static let sendWindow: TimeInterval = 24 * 60 * 60
    /// Wait before the first resend; it doubles after each send (60 s, 120 s, 240 s, …).
    public static let firstResendDelay: TimeInterval = 60
    /// Reset requests (step 1 submissions) from one client IP address in ``requestWindow``, then HTTP 429.
    public static let maximumRequestsPerClient = 10
    public static let requestWindow: TimeInterval = 60 * 60
    /// Human-check challenges one client IP address may fetch in ``requestWindow``, then HTTP 429.
    public static let maximumChallengesPerClient = 60
    /// Wrong security-answer submissions that lock the questions path of an account.
    public static let maximumAnswerFailures = 3
    /// How long the questions path stays locked (the account itself is never locked).
    public static let answerLockout: TimeInterval = 15 * 60
    /// Lifetime of a flow from its first step; after it the flow must start again.
    public static let flowLifetime: TimeInterval = 30 * 60
    /// Time allowed between a verified code (or answers) and setting the new password.
    public static let verifiedLifetime: TimeInterval = 15 * 60
    /// Failed sign-ins from one client IP address in ``requestWindow``, then HTTP 429.
    public static let maximumSignInFailuresPerClient = 20
    /// Failed sign-ins for one address (from any client) in ``requestWindow`` after which every sign-in
    /// to it needs a solved human check first: a slowdown for guesses spread over many addresses that
    /// never locks the owner out (the owner solves it too, in a few seconds). Counted the same for
    /// unknown addresses.
    public static let signInFailuresBeforeHumanCheck = 10
    /// A sign-in session ends this long after it started, at the latest.
    public static let sessionLifetime: TimeInterval = 30 * 24 * 60 * 60
    /// Longest accepted form field, in UTF-8 bytes (an email address is at most 254).
    public static let maximumFieldBytes = 1024
    /// Longest accepted email address, in UTF-8 bytes (RFC 5321 path limit).
    public static let maximumEmailBytes = 254
}
