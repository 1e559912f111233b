import Crypto
import Foundation
import Logging

/// The password-reset flow and sign-in, with every rule of ``ResetPolicy``, over a ``ResetStore``.
/// No HTTP here: the server maps forms to these calls and outcomes to pages.
///
/// A browser is identified by an opaque token from its cookie (`browser`); its flow is keyed by the
/// token's SHA-256. Requirements followed: OWASP Forgot Password Cheat Sheet, OWASP ASVS 5.0 V6,
/// NIST SP 800-63B-4 (see `../shared/research/reset-security.md`).
public struct ResetService: Sendable {
    /// What messages need to know about the site: its name and the configured base URL (links in
    /// messages are built from it, never from a request's Host header).
    public struct Site: Sendable {
        public var name: String
        public var baseURL: String
        public var supportContact: String

        public init(name: String, baseURL: String, supportContact: String) {
            self.name = name
            self.baseURL = baseURL
            self.supportContact = supportContact
        }
    }

    public let store: ResetStore
    /// Where accounts are looked up and their passwords set.
    public let directory: any AccountDirectory
    let secrets: ResetSecrets
    let hasher: PasswordHasher
    public let policy: PasswordPolicy
    let proofOfWork: ProofOfWork
    let site: Site
    let clock: @Sendable () -> Date
    let logger: Logger
    /// A hash verified when there is no account, so both paths do the same Argon2 work.
    let timingHash: String

    /// - Parameters:
    ///   - directory: the accounts; by default the built-in tables of `store`.
    ///   - proofOfWork: the human check; by default ALTCHA PBKDF2 cost 5,000 with counters
    ///     0…10,000, signed with `secrets` (tests pass a cheaper one).
    public init(store: ResetStore, directory: (any AccountDirectory)? = nil, secrets: ResetSecrets, hasher: PasswordHasher, policy: PasswordPolicy,
                site: Site, proofOfWork: ProofOfWork? = nil, clock: @escaping @Sendable () -> Date = Date.init, logger: Logger) {
        self.store = store
        self.directory = directory ?? BuiltInDirectory(store: store, hasher: hasher, clock: clock)
        self.secrets = secrets
        self.hasher = hasher
        self.policy = policy
        self.proofOfWork = proofOfWork ?? ProofOfWork(signatureSecret: secrets.proofOfWorkSignature, keySignatureSecret: secrets.proofOfWorkKeySignature)
        self.site = site
        self.clock = clock
        self.logger = logger
        self.timingHash = (try? hasher.hash("no account has this password")) ?? ""
    }

    var now: Int64 { Int64(clock().timeIntervalSince1970) }

    /// A keyed hash standing for a client address (for per-client limits kept elsewhere).
    public func clientIdentifier(_ address: String) -> String { secrets.identifier("ip:" + address) }

    /// The service's clock (injected in tests), for pages that show times.
    public func currentDate() -> Date { clock() }

    // MARK: Browser binding

    /// A new browser token for the flow cookie: 256 random bits (base64url), a `.`, and the server's
    /// keyed hash of them, so that a cookie the server did not issue is recognised and replaced
    /// (OWASP Session Management Cheat Sheet: session fixation).
    public func newBrowserToken() -> String {
        let random = RandomToken.make()
        return random + "." + secrets.identifier("browser:" + random)
    }

    /// Whether `token` is one ``newBrowserToken()`` made (constant-time comparison of its hash).
    public func isIssuedBrowserToken(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count == 43 else { return false }
        let expected = Array(secrets.identifier("browser:" + parts[0]).utf8), given = Array(parts[1].utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Moves the browser's flow to a new browser token and returns it, for the new cookie: done when
    /// the flow is verified, so that a token known before verification (planted, or seen) is worth
    /// nothing after it.
    public func rotateBrowser(_ browser: String) async throws -> String {
        let token = newBrowserToken()
        try await store.moveFlow(from: RandomToken.digest(browser), to: RandomToken.digest(token))
        return token
    }

    /// The anti-CSRF token of forms shown to `browser`: HMAC of the cookie token, so it is bound to
    /// the cookie and needs no storage (OWASP CSRF Cheat Sheet, "signed double-submit cookie").
    public func csrfToken(for browser: String) -> String {
        String(ResetSecrets.mac("csrf:" + browser, key: secrets.csrfKey).prefix(43))
    }

    /// Whether `token` is the anti-CSRF token of `browser` (constant-time comparison).
    public func isValidCSRF(_ token: String, browser: String) -> Bool {
        let expected = Array(csrfToken(for: browser).utf8)
        let given = Array(token.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// A new human-check challenge (ALTCHA v2 JSON) for the reset form, or nil when the client asked
    /// for more than ``ResetPolicy/maximumChallengesPerClient`` this hour (each costs a PBKDF2 derivation).
    public func challenge(client: String) async throws -> String? {
        let clientKey = secrets.identifier("ip:" + client)
        let count = try await store.recordEvent("challenge", clientKey: clientKey, now: now, window: Int64(ResetPolicy.requestWindow))
        guard count <= ResetPolicy.maximumChallengesPerClient else { return nil }
        return proofOfWork.challenge(purpose: "password-reset", now: clock())
    }

    // MARK: Step 1: address and human check

    /// Starts a flow for `email` once the human check passes, whether or not an account has that
    /// address. At most ``ResetPolicy/maximumRequestsPerClient`` per client per hour.
    /// - Parameter client: the client's IP address (only its keyed hash is stored).
    public func start(browser: String, email: String, proofOfWork payload: String, client: String) async throws -> ResetOutcome {
        let clientKey = secrets.identifier("ip:" + client)
        guard Account.isPlausibleEmail(email) else { return .invalidEmail }
        let nonce: String
        do {
            nonce = try proofOfWork.verify(payload, purpose: "password-reset", now: clock())
        } catch {
            logger.notice("human check failed", metadata: ["client": "\(clientKey)", "reason": "\(error.reason.rawValue)"])
            return .humanCheckFailed
        }
        guard try await store.burnProofOfWork(nonce: nonce, expiresAt: now + Int64(ResetPolicy.flowLifetime), now: now) else {
            logger.notice("human check failed", metadata: ["client": "\(clientKey)", "reason": "replay"])
            return .humanCheckFailed
        }
        // Only requests with a solved, unused human check count, so the limit cannot be spent for free.
        let requests = try await store.recordEvent("reset-request", clientKey: clientKey, now: now, window: Int64(ResetPolicy.requestWindow))
        guard requests <= ResetPolicy.maximumRequestsPerClient else {
            logger.notice("reset request refused: rate limit", metadata: ["client": "\(clientKey)"])
            return .rateLimited
        }
        let account = try await directory.account(email: email)
        let accountKey = account?.id ?? secrets.identifier("email:" + Account.normalizedEmail(email))
        let flowID = RandomToken.digest(browser)
        try await store.startFlow(id: flowID, accountID: account?.id, accountKey: accountKey, now: now, lifetime: Int64(ResetPolicy.flowLifetime))
        // The keyed hash of the address, for known and unknown addresses alike: logs do not tell them apart.
        logger.info("reset requested", metadata: ["flow": "\(flowID.prefix(12))", "address": "\(secrets.identifier("email:" + Account.normalizedEmail(email)))",
                                                  "client": "\(clientKey)"])
        return .started
    }

    // MARK: Where the flow stands

    /// The browser's flow, or nil when it has none or it expired.
    public func flow(browser: String) async throws -> ResetFlow? {
        guard let row = try await store.flow(id: RandomToken.digest(browser)) else { return nil }
        let expired = row.expires_at <= now && row.state != "done"
        let account = try await self.account(of: row)
        let decoys = SecurityQuestions.decoys(for: row.account_key)  // made for every address: the same work
        let questions = account.flatMap { $0.questions.count == SecurityQuestions.count ? $0.questions : nil } ?? decoys
        let lockedUntil = try await store.questionLockout(accountKey: row.account_key)
        return ResetFlow(
            step: expired ? .ended : ResetFlow.Step(rawValue: row.state) ?? .ended,
            method: row.method.flatMap(VerificationMethod.init(rawValue:)),
            codeExpiresAt: try await store.codeExpiry(flowID: row.id).map { Date(timeIntervalSince1970: TimeInterval($0)) },
            nextSendAt: row.sends == 0 ? nil : Date(timeIntervalSince1970: TimeInterval(row.next_send_at)),
            sendsLeft: max(0, ResetPolicy.maximumSendsPerFlow - row.sends),
            attemptsLeft: max(0, ResetPolicy.maximumCodeFailures - row.code_failures),
            questions: questions,
            questionsLockedUntil: lockedUntil > now ? Date(timeIntervalSince1970: TimeInterval(lockedUntil)) : nil)
    }

    /// The account of a flow, read the same way whether or not there is one: an unknown address's
    /// flow looks up its keyed hash, which no account id equals, so that every step does the same
    /// work for known and unknown addresses (no timing difference to tell them apart).
    func account(of row: ResetStore.FlowRow) async throws -> Account? {
        try await directory.account(id: row.account_id ?? row.account_key)
    }

    // MARK: Step 2: choose a method

    /// Email or phone: sends a code (see ``sendCode(browser:)``). Questions: shows the questions.
    /// The same for every address: an account without a phone gets the "code sent" page and no SMS.
    /// - Parameter client: the client's IP address, whose budget of codes for the address is spent.
    public func choose(_ method: VerificationMethod, browser: String, client: String) async throws -> ResetOutcome {
        let flowID = RandomToken.digest(browser)
        let state = method == .questions ? "questions" : "code"
        guard try await store.choose(flowID: flowID, state: state, method: method.rawValue, now: now) else { return .ended }
        logger.info("method chosen", metadata: ["flow": "\(flowID.prefix(12))", "method": "\(method.rawValue)"])
        if method == .questions { return .questions }
        return try await sendCode(browser: browser, client: client)
    }

    /// Sends a new code by the flow's method, replacing the flow's earlier code, when the cooldown has
    /// passed (60 s, then doubling) and the flow's cap allows; else ``ResetOutcome/sendRefused``. When
    /// the address's budget for `client` (``ResetPolicy/maximumSendsPerAccountPerClient``) or its daily
    /// ceiling (``ResetPolicy/maximumSendsPerAccount``) is spent, nothing is sent and nothing changes:
    /// ``ResetOutcome/sendLimitReached`` (unknown addresses count the same way). Codes of other flows
    /// stay valid (each code works only in its own flow), so nobody can cancel a code the owner holds.
    /// A resend does not give back code attempts.
    public func sendCode(browser: String, client: String) async throws -> ResetOutcome {
        let flowID = RandomToken.digest(browser)
        guard let row = try await store.flow(id: flowID), let method = row.method.flatMap(VerificationMethod.init(rawValue:)), method != .questions else {
            return .ended
        }
        // The account first: a directory that fails here leaves the flow's sends and budgets untouched.
        let account = try await self.account(of: row)
        guard try await store.claimSend(flowID: flowID, now: now, maximum: ResetPolicy.maximumSendsPerFlow,
                                        firstDelay: Int64(ResetPolicy.firstResendDelay)) else { return .sendRefused }
        let budgetKey = secrets.identifier("send:" + row.account_key + ":" + secrets.identifier("ip:" + client))
        let fromClient = try await store.recordEvent("code-send", clientKey: budgetKey, now: now, window: Int64(ResetPolicy.sendWindow))
        guard fromClient <= ResetPolicy.maximumSendsPerAccountPerClient else {
            logger.notice("code not sent: budget of this client spent", metadata: ["flow": "\(flowID.prefix(12))"])
            return .sendLimitReached
        }
        let code = VerificationCode.make()
        let lifetime = method == .email ? ResetPolicy.emailCodeLifetime : ResetPolicy.smsCodeLifetime
        let destination = method == .email ? account?.email : account?.phone
        let minutes = Int(lifetime / 60)
        let (subject, body) = method == .email
            ? ("Your \(site.name) verification code",
               "Your verification code is \(code). It works for \(minutes) minutes, once, and only in the browser where you asked for it.\n\nIf you did not ask to reset your password, ignore this message: your password has not changed.\n\n\(site.name) staff will never ask you for this code.\n\(site.baseURL)/account/reset/code")
            : ("", "\(site.name): your verification code is \(code). It expires in \(minutes) minutes. Never share it.")
        // Queued first, counted against the daily ceiling in the same statement; the flow's code is
        // replaced only once the message is queued, so a refused send leaves the earlier code working.
        let queued = try await store.enqueue(accountKey: row.account_key, kind: "code", channel: method == .email ? "email" : "sms",
                                             destination: destination, subject: subject, body: body, now: now,
                                             expiresAt: now + Int64(lifetime), capPerWindow: (ResetPolicy.maximumSendsPerAccount, Int64(ResetPolicy.sendWindow)))
        guard queued else {
            logger.notice("code not sent: daily ceiling of the address reached", metadata: ["flow": "\(flowID.prefix(12))"])
            return .sendLimitReached
        }
        try await store.replaceCode(flowID: flowID, codeMAC: VerificationCode.mac(code, flow: flowID, key: secrets.codeKey),
                                    expiresAt: now + Int64(lifetime))
        // No destination here: it would tell a known address ("b•••@example.com") from an unknown one ("none").
        logger.info("code sent", metadata: ["flow": "\(flowID.prefix(12))", "channel": "\(method.rawValue)"])
        return .codeSent
    }

    // MARK: Step 3: code or answers

    /// Checks a typed code. Each submission counts before it is checked; after
    /// ``ResetPolicy/maximumCodeFailures`` the flow ends and even the right code is refused. Across
    /// all flows of an account, after ``ResetPolicy/maximumCodeFailuresPerAccount`` wrong codes in
    /// 24 h no code is checked for it (``ResetOutcome/ended``, one warning line) until the oldest
    /// leaves the window; signing in with the password is not affected. Of
    /// concurrent submissions of the right code, exactly one is ``ResetOutcome/verified``.
    public func verifyCode(_ input: String, browser: String) async throws -> ResetOutcome {
        let flowID = RandomToken.digest(browser)
        guard let row = try await store.flow(id: flowID) else { return .ended }
        let accountKey = secrets.identifier("code-failures:" + row.account_key)
        let window = Int64(ResetPolicy.sendWindow)
        guard try await store.eventCount("code-failure", clientKey: accountKey, now: now, window: window) < ResetPolicy.maximumCodeFailuresPerAccount else {
            logger.notice("code not checked: the account's wrong codes in 24 h are at the ceiling", metadata: ["flow": "\(flowID.prefix(12))"])
            return .ended
        }
        guard let submissions = try await store.countCodeSubmission(flowID: flowID, now: now, maximum: ResetPolicy.maximumCodeFailures) else {
            return .ended
        }
        if let code = VerificationCode.parse(input),
           try await store.useCode(flowID: flowID, codeMAC: VerificationCode.mac(code, flow: flowID, key: secrets.codeKey), now: now),
           try await store.markVerified(flowID: flowID, now: now, from: "code") {
            logger.info("code verified", metadata: ["flow": "\(flowID.prefix(12))"])
            return .verified
        }
        let left = ResetPolicy.maximumCodeFailures - submissions
        logger.notice("code failed", metadata: ["flow": "\(flowID.prefix(12))", "failures": "\(submissions)"])
        if try await store.recordEvent("code-failure", clientKey: accountKey, now: now, window: window) == ResetPolicy.maximumCodeFailuresPerAccount {
            logger.warning("code checking stopped for an account for up to 24 h: \(ResetPolicy.maximumCodeFailuresPerAccount) wrong codes across its flows",
                           metadata: ["flow": "\(flowID.prefix(12))", "account": "\(accountKey.prefix(12))"])
        }
        if left <= 0 {
            // A request that lost the race to a right code (the code is used, the flow verified) changes nothing.
            if try await store.endFlowAfterWrongCodes(flowID: flowID) {
                logger.notice("flow ended: too many wrong codes", metadata: ["flow": "\(flowID.prefix(12))"])
            }
            return .ended
        }
        return .wrongCode(attemptsLeft: left)
    }

    /// Checks the answers to the two questions (normalized, compared with Argon2id hashes). After
    /// ``ResetPolicy/maximumAnswerFailures`` wrong submissions the questions path of the address is
    /// locked for ``ResetPolicy/answerLockout``; the account and its codes are not.
    public func answer(_ answers: [String], browser: String) async throws -> ResetOutcome {
        let flowID = RandomToken.digest(browser)
        guard let row = try await store.flow(id: flowID), row.state == "questions", row.expires_at > now else { return .ended }
        guard let attempt = try await store.claimAnswerAttempt(accountKey: row.account_key, now: now, maximum: ResetPolicy.maximumAnswerFailures,
                                                               lockout: Int64(ResetPolicy.answerLockout)) else {
            let lockedUntil = try await store.questionLockout(accountKey: row.account_key)
            return .questionsLocked(until: Date(timeIntervalSince1970: TimeInterval(max(lockedUntil, now))))
        }
        let correct: Bool
        do {
            correct = try await directory.verifyAnswers(accountID: row.account_id ?? row.account_key, answers: answers)
        } catch {
            // Answers that could not be checked are not a wrong try: an outage must not lock the owner out.
            try await store.releaseAnswerAttempt(accountKey: row.account_key, maximum: ResetPolicy.maximumAnswerFailures)
            throw error
        }
        if correct {
            try await store.clearWrongAnswers(accountKey: row.account_key)
            guard try await store.markVerified(flowID: flowID, now: now, from: "questions") else { return .ended }
            logger.info("answers verified", metadata: ["flow": "\(flowID.prefix(12))"])
            return .verified
        }
        logger.notice("answers failed", metadata: ["flow": "\(flowID.prefix(12))", "failures": "\(attempt)"])
        if attempt >= ResetPolicy.maximumAnswerFailures {
            logger.warning("questions path locked for \(Int(ResetPolicy.answerLockout / 60)) minutes: \(attempt) wrong answers",
                           metadata: ["flow": "\(flowID.prefix(12))", "account": "\(secrets.identifier("questions:" + row.account_key).prefix(12))"])
            return .questionsLocked(until: clock().addingTimeInterval(ResetPolicy.answerLockout))
        }
        return .wrongAnswers(attemptsLeft: ResetPolicy.maximumAnswerFailures - attempt)
    }

    // MARK: Step 4: new password

    /// Sets the new password of a flow verified less than ``ResetPolicy/verifiedLifetime`` ago, once.
    /// Ends every session and outstanding code of the account, and queues a "your password was
    /// changed" message. Does not sign in (OWASP Forgot Password Cheat Sheet).
    public func setPassword(_ password: String, confirmation: String, browser: String) async throws -> ResetOutcome {
        let flowID = RandomToken.digest(browser)
        guard let row = try await store.flow(id: flowID), row.state == "verified",
              let verifiedAt = row.verified_at, verifiedAt > now - Int64(ResetPolicy.verifiedLifetime) else { return .ended }
        let account = try await self.account(of: row)
        // The site's name and its distinctive words ("TradeBridge" of "TradeBridge Help Center").
        let generic: Set<String> = ["help", "center", "centre", "support", "faq", "knowledge", "base", "docs"]
        var context = [site.name] + site.name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
            .filter { $0.count >= 4 && !generic.contains($0.lowercased()) }
        if let email = account?.email { context += [email, String(email.prefix { $0 != "@" })] }
        let problems = policy.problems(password, confirmation: confirmation, context: context)
        guard problems.isEmpty else { return .passwordRejected(problems) }
        // An account the directory no longer has: the reset cannot finish, and must not say it did.
        if row.account_id != nil && account == nil { return .ended }
        // The flow is claimed first (of two submissions, one goes on), and given back when the
        // directory cannot set the password, so that the buyer can try again.
        guard let finished = try await store.finishVerifiedFlow(flowID: flowID, verifiedAfter: now - Int64(ResetPolicy.verifiedLifetime)) else {
            return .ended
        }
        if let accountID = finished.account_id, let account {
            do {
                try await directory.setPassword(accountID: accountID, password: password)
            } catch {
                try await store.reopenFinishedFlow(flowID: flowID)
                throw error
            }
            // What the built-in tables' trigger does, for every directory: the account's codes and flows end.
            try await store.endFlows(accountKey: accountID)
            try await notifyPasswordChanged(account)
            logger.info("password changed; sessions and codes ended", metadata: ["flow": "\(flowID.prefix(12))", "account": "\(accountID)"])
        }
        return .passwordChanged
    }

    func notifyPasswordChanged(_ account: Account) async throws {
        let when = ISO8601DateFormatter().string(from: clock())
        let body = """
            The password of your \(site.name) account was changed at \(when) (UTC). You have been signed out everywhere.

            If this was you, there is nothing to do. If it was not, reset your password at \(site.baseURL)/account/reset and contact \(site.supportContact).
            """
        _ = try await store.enqueue(accountKey: account.id, kind: "password-changed", channel: "email", destination: account.email,
                                    subject: "Your \(site.name) password was changed", body: body, now: now,
                                    expiresAt: now + Int64(ResetPolicy.noticeLifetime))
        if let phone = account.phone {
            _ = try await store.enqueue(accountKey: account.id, kind: "password-changed", channel: "sms", destination: phone, subject: "",
                                        body: "\(site.name): your password was changed. Not you? Contact \(site.supportContact).", now: now,
                                        expiresAt: now + Int64(ResetPolicy.noticeLifetime))
        }
    }

    // MARK: Sign-in

    public enum SignIn: Sendable, Equatable {
        /// Signed in: the new session token for the session cookie.
        case signedIn(session: String, account: Account)
        case failed
        case rateLimited
        /// Sign-ins to this address failed often lately: solve the human check and sign in again.
        case humanCheckRequired
    }

    /// Checks an email address and password. Unknown addresses do the same Argon2 work. At most
    /// ``ResetPolicy/maximumSignInFailuresPerClient`` failures per client per hour; after
    /// ``ResetPolicy/signInFailuresBeforeHumanCheck`` failures for the address in an hour, from any
    /// client, a sign-in to it needs a solved human check (`proofOfWork`, single use) before the
    /// password is checked. The account itself is never locked.
    public func signIn(email: String, password: String, client: String, proofOfWork payload: String = "") async throws -> SignIn {
        let clientKey = secrets.identifier("ip:" + client)
        let attempt = try await store.claimSignInAttempt(clientKey: clientKey, now: now, window: Int64(ResetPolicy.requestWindow))
        guard attempt.count <= ResetPolicy.maximumSignInFailuresPerClient else { return .rateLimited }
        let addressKey = secrets.identifier("email:" + Account.normalizedEmail(email))
        let window = Int64(ResetPolicy.requestWindow)
        if try await store.eventCount("sign-in-failure", clientKey: addressKey, now: now, window: window) >= ResetPolicy.signInFailuresBeforeHumanCheck {
            guard let nonce = try? proofOfWork.verify(payload, purpose: "password-reset", now: clock()),
                  try await store.burnProofOfWork(nonce: nonce, expiresAt: now + Int64(ResetPolicy.flowLifetime), now: now) else {
                return .humanCheckRequired
            }
        }
        let row = Account.isPlausibleEmail(email) ? try await store.account(email: email) : nil
        // One maximum for every password field: a longer one was never set, so it is wrong (hashed all the same, for timing).
        let withinLimit = PasswordHasher.normalize(password).unicodeScalars.count <= PasswordPolicy.maximumLength
        let matches = hasher.verify(password, against: row?.password_hash ?? timingHash) && withinLimit
        guard let row, matches else {
            _ = try await store.recordEvent("sign-in-failure", clientKey: addressKey, now: now, window: window)
            logger.notice("sign-in failed", metadata: ["client": "\(clientKey)", "address": "\(addressKey)"])
            return .failed
        }
        try await store.releaseSignInAttempt(id: attempt.id)
        let token = RandomToken.make()
        try await store.insertSession(tokenHash: RandomToken.digest(token), accountID: row.id, now: now)
        logger.info("signed in", metadata: ["account": "\(row.id)"])
        return .signedIn(session: token, account: row.account)
    }

    /// The account of a session token, or nil (unknown token, or ended by a password change).
    public func account(session: String) async throws -> Account? {
        guard let id = try await store.sessionAccount(tokenHash: RandomToken.digest(session), createdAfter: now - Int64(ResetPolicy.sessionLifetime)) else {
            return nil
        }
        return try await store.account(id: id)?.account
    }

    public func signOut(session: String) async throws {
        try await store.deleteSession(tokenHash: RandomToken.digest(session))
    }
}
