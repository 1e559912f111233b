import Foundation
@testable import HelpCenterReset
import Logging
import SQLiteKit
import Testing

/// Every step and policy line of the reset flow, on a real SQLite file with an injected clock and
/// captured deliveries. Each test fails when the rule it names is removed.
@Suite struct ResetServiceTests {
    func withHarness(_ body: (ResetHarness) async throws -> Void) async throws {
        let harness = try await ResetHarness.make()
        try await harness.addAccounts()
        do { try await body(harness) } catch { await harness.close(); throw error }
        await harness.close()
    }

    // MARK: The three paths

    @Test func emailPathChangesThePasswordAndTheOldOneStopsWorking() async throws {
        try await withHarness { h in
            let (browser, code) = try await h.flowWithCode("Buyer@Example.com")
            let message = try #require(await h.inbox.messages.last)
            #expect(message.channel == .email && message.to == "buyer@example.com")
            #expect(message.body.contains("https://help.tradebridge.example/account/reset/code"))
            #expect(try await h.service.verifyCode(try #require(code), browser: browser) == .verified)
            #expect(try await h.service.setPassword("fresh harbour lantern seven", confirmation: "fresh harbour lantern seven", browser: browser) == .passwordChanged)
            #expect(try await h.accounts.verifyPassword("fresh harbour lantern seven", email: "buyer@example.com"))
            #expect(try await !h.accounts.verifyPassword(ResetHarness.password, email: "buyer@example.com"))
            let notices = try await h.deliver()
            #expect(notices.contains { $0.channel == .email && $0.subject.contains("password was changed") && $0.to == "buyer@example.com" })
            #expect(notices.contains { $0.channel == .sms && $0.to == "+15550100123" })
        }
    }

    @Test func phonePathTextsTheBoundNumberOnly() async throws {
        try await withHarness { h in
            let (browser, code) = try await h.flowWithCode("buyer@example.com", method: .phone)
            let message = try #require(await h.inbox.messages.last)
            #expect(message.channel == .sms && message.to == "+15550100123")
            #expect(try await h.service.verifyCode(try #require(code), browser: browser) == .verified)
            // An account without a phone gets the same outcome and no message at all.
            let plain = try await h.start("plain@example.com")
            #expect(try await h.service.choose(.phone, browser: plain, client: "192.0.2.1") == .codeSent)
            #expect(try await h.deliver().isEmpty)
        }
    }

    @Test func securityQuestionsPathAcceptsNormalizedAnswers() async throws {
        try await withHarness { h in
            let browser = try await h.start("buyer@example.com")
            #expect(try await h.service.choose(.questions, browser: browser, client: "192.0.2.1") == .questions)
            #expect(try await h.service.flow(browser: browser)?.questions == ResetHarness.questions)
            #expect(try await h.service.answer(["  linden   STREET ", "mrs okafor"], browser: browser) == .verified)
            #expect(try await h.service.setPassword("answers were right indeed", confirmation: "answers were right indeed", browser: browser) == .passwordChanged)
            #expect(try await h.accounts.verifyPassword("answers were right indeed", email: "buyer@example.com"))
        }
    }

    @Test func unknownAddressGetsTheSameOutcomesStableDecoyQuestionsAndNoMessage() async throws {
        try await withHarness { h in
            let known = try await h.start("plain@example.com")
            let unknown = try await h.start("nobody@example.com")
            for method in [VerificationMethod.email, .phone] {
                #expect(try await h.service.choose(method, browser: known, client: "192.0.2.1") == (try await h.service.choose(method, browser: unknown, client: "192.0.2.1")))
                h.clock.advance(ResetPolicy.firstResendDelay * 4)
            }
            let knownFlow = try #require(try await h.service.flow(browser: known))
            let unknownFlow = try #require(try await h.service.flow(browser: unknown))
            #expect(knownFlow.step == unknownFlow.step && knownFlow.sendsLeft == unknownFlow.sendsLeft && knownFlow.attemptsLeft == unknownFlow.attemptsLeft)
            #expect(try await h.deliver().allSatisfy { $0.to == "plain@example.com" })
            #expect(try await h.service.verifyCode("123456", browser: unknown) == .wrongCode(attemptsLeft: 4))
            // Decoy questions: from the pool, two different ones, the same for the address every time.
            _ = try await h.service.choose(.questions, browser: unknown, client: "192.0.2.1")
            let again = try await h.start("NOBODY@example.com")
            _ = try await h.service.choose(.questions, browser: again, client: "192.0.2.1")
            let decoys = try #require(try await h.service.flow(browser: unknown)?.questions)
            #expect(decoys.count == 2 && decoys[0] != decoys[1] && decoys.allSatisfy(SecurityQuestions.pool.contains))
            #expect(try await h.service.flow(browser: again)?.questions == decoys)
            #expect(try await h.service.answer(["a", "b"], browser: unknown) == .wrongAnswers(attemptsLeft: 2))
        }
    }

    // MARK: Codes

    @Test func fiveWrongCodesEndTheFlowAndTheRightCodeIsRefusedAfter() async throws {
        try await withHarness { h in
            let (browser, code) = try await h.flowWithCode("buyer@example.com")
            let wrong = code == "000000" ? "111111" : "000000"
            for left in (1...4).reversed() { #expect(try await h.service.verifyCode(wrong, browser: browser) == .wrongCode(attemptsLeft: left)) }
            #expect(try await h.service.verifyCode(wrong, browser: browser) == .ended)
            #expect(try await h.service.verifyCode(try #require(code), browser: browser) == .ended)
            #expect(try await h.service.flow(browser: browser)?.step == .ended)
        }
    }

    @Test func aResendDoesNotResetTheCountAndKillsThePreviousCode() async throws {
        try await withHarness { h in
            let (browser, first) = try await h.flowWithCode("buyer@example.com")
            for _ in 0..<3 { _ = try await h.service.verifyCode("999999" == first ? "888888" : "999999", browser: browser) }
            h.clock.advance(ResetPolicy.firstResendDelay)
            #expect(try await h.service.sendCode(browser: browser, client: "192.0.2.1") == .codeSent)
            let second = try #require(try await h.deliver().compactMap(ResetHarness.code(in:)).last)
            if second != first {
                #expect(try await h.service.verifyCode(try #require(first), browser: browser) == .wrongCode(attemptsLeft: 1))
            }
            #expect(try await h.service.flow(browser: browser)?.attemptsLeft == (second != first ? 1 : 2))
            #expect(try await h.service.verifyCode(second, browser: browser) == .verified)
        }
    }

    @Test func resendWaitsSixtySecondsThenDoublesAndAFlowSendsFiveAtMost() async throws {
        try await withHarness { h in
            let (browser, _) = try await h.flowWithCode("buyer@example.com")
            #expect(try await h.service.sendCode(browser: browser, client: "192.0.2.1") == .sendRefused)
            h.clock.advance(59)
            #expect(try await h.service.sendCode(browser: browser, client: "192.0.2.1") == .sendRefused)
            h.clock.advance(1)
            #expect(try await h.service.sendCode(browser: browser, client: "192.0.2.1") == .codeSent)   // 2nd send, next wait 120 s
            h.clock.advance(119)
            #expect(try await h.service.sendCode(browser: browser, client: "192.0.2.1") == .sendRefused)
            h.clock.advance(1)
            #expect(try await h.service.sendCode(browser: browser, client: "192.0.2.1") == .codeSent)   // 3rd
            for wait in [240.0, 480.0] {
                h.clock.advance(wait)
                #expect(try await h.service.sendCode(browser: browser, client: "192.0.2.1") == .codeSent)   // 4th, 5th
            }
            h.clock.advance(3600)
            #expect(try await h.service.sendCode(browser: browser, client: "192.0.2.1") == .sendRefused)
            #expect(try await h.service.flow(browser: browser)?.sendsLeft == 0)
        }
    }

    /// Starts a flow for `email` from `client` and asks for as many codes as the flow allows
    /// (waiting out each cooldown); returns the outcome of each send.
    func spendCodes(_ h: ResetHarness, _ email: String, client: String) async throws -> [ResetOutcome] {
        let browser = try await h.start(email, client: client)
        var outcomes = [try await h.service.choose(.email, browser: browser, client: client)]
        for wait in [60.0, 120, 240, 480] {
            h.clock.advance(wait)
            outcomes.append(try await h.service.sendCode(browser: browser, client: client))
        }
        return outcomes
    }

    @Test func otherAddressesCannotSpendTheOwnersCodesNorCancelACodeAlreadySent() async throws {
        try await withHarness { h in
            // Someone asks for codes for the owner's address from two other addresses: each has its own budget.
            for client in ["198.51.100.7", "203.0.113.9"] {
                let outcomes = try await spendCodes(h, "buyer@example.com", client: client)
                #expect(outcomes == Array(repeating: .codeSent, count: ResetPolicy.maximumSendsPerAccountPerClient), "\(client)")
                let more = try await h.start("buyer@example.com", client: client)
                #expect(try await h.service.choose(.email, browser: more, client: client) == .sendLimitReached, "\(client)")
            }
            // The owner still gets a code from their own address…
            _ = try await h.deliver()
            h.clock.advance(1)
            let owner = try await h.flowWithCode("buyer@example.com")
            let code = try #require(owner.code)
            // …which a new code asked for elsewhere does not cancel.
            let other = try await h.start("buyer@example.com", client: "192.0.2.99")
            #expect(try await h.service.choose(.email, browser: other, client: "192.0.2.99") == .codeSent)
            #expect(try await h.service.verifyCode(code, browser: owner.browser) == .verified)
        }
    }

    /// Issue 24, finding 6: the step pages read the flow the same way for known and unknown
    /// addresses (it was one database read more for accounts: 70–100 µs, visible in 50 tries).
    /// Interleaved calls, medians of 1,500 each; a gap over 25 µs and 25 % fails (the old code's gap:
    /// 86 µs on medians of 170 µs alone; the fixed code: under 20 µs alone, under 20 % with the
    /// whole suite running beside it on 2 cores).
    @Test func stepsTakeTheSameTimeForKnownAndUnknownAddresses() async throws {
        try await withHarness { h in
            let known = try await h.start("buyer@example.com"), unknown = try await h.start("nobody@example.com")
            let clock = ContinuousClock()
            var times: [String: [Duration]] = [known: [], unknown: []]
            for round in 0..<1_500 {
                for browser in round % 2 == 0 ? [known, unknown] : [unknown, known] {
                    let start = clock.now
                    _ = try await h.service.flow(browser: browser)
                    times[browser]!.append(clock.now - start)
                }
            }
            func median(_ values: [Duration]) -> Double {
                let sorted = values.sorted()
                let middle = sorted[sorted.count / 2]
                return Double(middle.components.seconds) * 1e6 + Double(middle.components.attoseconds) / 1e12
            }
            let (a, b) = (median(times[known]!), median(times[unknown]!))
            #expect(abs(a - b) < max(25, 0.25 * min(a, b)), "known \(a) µs, unknown \(b) µs")
        }
    }

    @Test func theDailyCeilingIsToldHonestlyAndTheSameForUnknownAddresses() async throws {
        try await withHarness { h in
            for email in ["buyer@example.com", "nobody@example.com"] {
                var outcomes: [ResetOutcome] = []
                for client in (1...7).map({ "198.51.100.\($0)" }) { outcomes += try await spendCodes(h, email, client: client) }
                let sent = outcomes.count(where: { $0 == .codeSent })
                #expect(sent == ResetPolicy.maximumSendsPerAccount, "\(email)")
                #expect(outcomes.dropFirst(sent).allSatisfy { $0 == .sendLimitReached }, "\(email): after the ceiling, no page claims a send")
            }
            // Codes are queued only for the known address (older ones expire before this single delivery pass).
            let destinations = try await h.store.database.raw("SELECT destination FROM outbox WHERE kind = 'code' AND destination IS NOT NULL").all()
                .map { try $0.decode(column: "destination", as: String.self) }
            #expect(destinations == Array(repeating: "buyer@example.com", count: ResetPolicy.maximumSendsPerAccount), "codes reach only the known address")
            h.clock.advance(ResetPolicy.sendWindow)
            #expect(try await h.flowWithCode("buyer@example.com").code != nil, "a new day, a new budget")
        }
    }

    @Test func emailCodesLiveFifteenMinutesAndSMSCodesTen() async throws {
        try await withHarness { h in
            let (email, emailCode) = try await h.flowWithCode("buyer@example.com")
            h.clock.advance(ResetPolicy.emailCodeLifetime - 1)
            let (sms, smsCode) = try await h.flowWithCode("plain@example.com", method: .email)
            _ = sms
            #expect(try await h.service.verifyCode(try #require(emailCode), browser: email) == .verified)
            let (phone, phoneCode) = try await h.flowWithCode("buyer@example.com", method: .phone)
            h.clock.advance(ResetPolicy.smsCodeLifetime)
            #expect(try await h.service.verifyCode(try #require(phoneCode), browser: phone) == .wrongCode(attemptsLeft: 4))
            h.clock.advance(ResetPolicy.emailCodeLifetime - ResetPolicy.smsCodeLifetime)
            #expect(try await h.service.verifyCode(try #require(smsCode), browser: sms) == .wrongCode(attemptsLeft: 4))
        }
    }

    @Test func ofSixteenConcurrentSubmissionsOfTheRightCodeExactlyOneSucceeds() async throws {
        try await withHarness { h in
            let (browser, code) = try await h.flowWithCode("buyer@example.com")
            let right = try #require(code)
            let outcomes = try await withThrowingTaskGroup(of: ResetOutcome.self) { group in
                for _ in 0..<16 { group.addTask { try await h.service.verifyCode(right, browser: browser) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .verified }.count == 1)
        }
    }

    @Test func codesAreStoredOnlyAsKeyedHashesAndMessageBodiesAreErasedOnceSent() async throws {
        try await withHarness { h in
            let (_, code) = try await h.flowWithCode("buyer@example.com")
            let digits = try #require(code)
            let stored = try await h.store.database.raw("SELECT code_hmac FROM reset_codes").all().map { try $0.decode(column: "code_hmac", as: String.self) }
            #expect(stored.count == 1 && stored.allSatisfy { !$0.contains(digits) && $0.count == 64 })
            let bodies = try await h.store.database.raw("SELECT body FROM outbox").all().map { try $0.decode(column: "body", as: String.self) }
            #expect(bodies.allSatisfy { !$0.contains(digits) })
        }
    }

    /// Issue 24, finding 8: a message whose "sent" mark cannot be written is not sent again (it was,
    /// 21 times in a minute, past its attempt cap).
    @Test func aMessageIsNeverSentTwiceBecauseItsSendCouldNotBeRecorded() async throws {
        try await withHarness { h in
            let browser = try await h.start("buyer@example.com")
            _ = try await h.service.choose(.email, browser: browser, client: "192.0.2.1")
            // The database turns read-only while the message is being sent (after its attempt was counted).
            let readOnly = ReadOnlyAfterSend(inbox: h.inbox, database: h.store.database)
            let outbox = Outbox(store: h.store, delivery: readOnly, clock: { h.clock.now }, logger: Logger(label: "test"))
            for _ in 0..<5 { _ = try? await outbox.deliverPending() }
            #expect(await h.inbox.messages.count == 1)
            try await h.store.database.raw("PRAGMA query_only = 0").run()
            _ = try await outbox.deliverPending()
            #expect(await h.inbox.messages.count == 1)
            let sent = try await h.store.database.raw("SELECT sent_at, body FROM outbox").all()
            #expect(sent.count == 1)
            #expect(try sent[0].decode(column: "sent_at", as: Int64?.self) != nil)
            #expect(try sent[0].decode(column: "body", as: String.self).isEmpty)
        }
    }

    @Test func aMessageThatFailsForGoodIsErasedAndLoggedAsAnError() async throws {
        try await withHarness { h in
            await h.inbox.setFailing(true)
            let browser = try await h.start("buyer@example.com")
            _ = try await h.service.choose(.email, browser: browser, client: "192.0.2.1")
            for attempt in 1...(Outbox.maximumAttempts + 3) {
                _ = try await h.outbox.deliverPending()
                h.clock.advance(Outbox.retryDelay(afterAttempt: attempt, random: 1))  // the longest wait, well within the code's life
            }
            let rows = try await h.store.database.raw("SELECT attempts, body FROM outbox").all()
            #expect(try rows.map { try $0.decode(column: "attempts", as: Int.self) } == [Outbox.maximumAttempts])
            #expect(try rows.allSatisfy { try $0.decode(column: "body", as: String.self).isEmpty })
            #expect(h.logs.text.components(separatedBy: "error message delivery failed for good").count == 2, "\(h.logs.text)")
        }
    }

    /// Issue 16: two right codes at once (a double click), on a flow at its last allowed attempt: one
    /// verifies, the other changes nothing (before, the loser counted as the last wrong code and ended
    /// the flow the winner had just verified); the flow stays verified and its password can be set.
    @Test func twoRightCodesAtOnceLeaveTheFlowVerified() async throws {
        try await withHarness { h in
            for round in 0..<8 {
                h.clock.advance(ResetPolicy.sendWindow)  // a new day: the address's send budgets again
                let (browser, code) = try await h.flowWithCode("buyer@example.com")
                let right = try #require(code)
                for _ in 0..<(ResetPolicy.maximumCodeFailures - 2) {
                    _ = try await h.service.verifyCode("000000" == right ? "111111" : "000000", browser: browser)
                }
                let outcomes = try await withThrowingTaskGroup(of: ResetOutcome.self) { group in
                    for _ in 0..<2 { group.addTask { try await h.service.verifyCode(right, browser: browser) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(outcomes.filter { $0 == .verified }.count == 1, "round \(round): \(outcomes)")
                #expect(try await h.service.flow(browser: browser)?.step == .verified, "round \(round): \(outcomes)")
                #expect(try await h.service.setPassword("fresh harbour lantern \(round)", confirmation: "fresh harbour lantern \(round)",
                                                        browser: browser) == .passwordChanged, "round \(round)")
                _ = try await h.deliver()  // the "password changed" notice, so that the next round reads only its code
            }
        }
    }

    /// Issue 16: a right code and a resend at once: the flow ends verified either way, and its password can be set.
    @Test func aRightCodeAndAResendAtOnceLeaveTheFlowVerified() async throws {
        try await withHarness { h in
            for round in 0..<8 {
                h.clock.advance(ResetPolicy.sendWindow)
                let (browser, code) = try await h.flowWithCode("buyer@example.com")
                h.clock.advance(ResetPolicy.firstResendDelay)  // the resend is allowed
                let right = try #require(code)
                async let verify = h.service.verifyCode(right, browser: browser)
                async let resend = h.service.sendCode(browser: browser, client: "192.0.2.1")
                let (verified, resent) = try await (verify, resend)
                #expect(verified == .verified, "round \(round): resend \(resent)")
                #expect(try await h.service.flow(browser: browser)?.step == .verified, "round \(round): resend \(resent)")
                #expect(try await h.service.setPassword("fresh harbour lantern \(round)", confirmation: "fresh harbour lantern \(round)",
                                                        browser: browser) == .passwordChanged, "round \(round)")
                _ = try await h.deliver()  // the "password changed" notice, so that the next round reads only its code
            }
        }
    }

    /// Issue 16: wrong codes count per account across flows: after 20 in 24 h (four flows' worth) even
    /// the right code of a new flow is refused, with one warning line; the password still signs in; a
    /// day later codes are checked again.
    @Test func wrongCodesAcrossFlowsStopCodeCheckingForTheAccount() async throws {
        try await withHarness { h in
            for flow in 0..<(ResetPolicy.maximumCodeFailuresPerAccount / ResetPolicy.maximumCodeFailures) {
                let (browser, code) = try await h.flowWithCode("buyer@example.com")
                let wrong = code == "000000" ? "111111" : "000000"
                for _ in 0..<ResetPolicy.maximumCodeFailures { _ = try await h.service.verifyCode(wrong, browser: browser) }
                #expect(try await h.service.flow(browser: browser)?.step == .ended, "flow \(flow)")
            }
            let (browser, code) = try await h.flowWithCode("buyer@example.com")
            #expect(try await h.service.verifyCode(try #require(code), browser: browser) == .ended, "the right code, past the account's ceiling")
            #expect(h.logs.text.components(separatedBy: "code checking stopped for an account").count == 2, "one warning line")
            #expect(!h.logs.text.contains("buyer@example.com"))
            guard case .signedIn = try await h.service.signIn(email: "buyer@example.com", password: ResetHarness.password, client: "192.0.2.9") else {
                Issue.record("the password no longer signs in")
                return
            }
            h.clock.advance(ResetPolicy.sendWindow)
            let (later, laterCode) = try await h.flowWithCode("buyer@example.com")
            #expect(try await h.service.verifyCode(try #require(laterCode), browser: later) == .verified, "a day later")
        }
    }

    /// Issue 16: one maximum for every password field, at the limit: a reset sets a 256-code-point
    /// password, sign-in takes it, and one code point more is refused by both.
    @Test func theLongestPasswordIsSetBySetPasswordAndTakenBySignIn() async throws {
        try await withHarness { h in
            let longest = String((0 ..< PasswordPolicy.maximumLength).map { ["\u{1F642}", "sea", " ", "lantern"][$0 % 4] }.joined()
                .unicodeScalars.prefix(PasswordPolicy.maximumLength))
            #expect(longest.unicodeScalars.count == 256)
            let (browser, code) = try await h.flowWithCode("buyer@example.com")
            #expect(try await h.service.verifyCode(try #require(code), browser: browser) == .verified)
            #expect(try await h.service.setPassword(longest + "x", confirmation: longest + "x", browser: browser) == .passwordRejected([.tooLong(maximum: 256)]))
            #expect(try await h.service.setPassword(longest, confirmation: longest, browser: browser) == .passwordChanged)
            guard case .signedIn = try await h.service.signIn(email: "buyer@example.com", password: longest, client: "192.0.2.7") else {
                Issue.record("the longest password did not sign in")
                return
            }
            #expect(try await h.service.signIn(email: "buyer@example.com", password: longest + "x", client: "192.0.2.7") == .failed)
        }
    }

    @Test func aPasswordChangeEndsSessionsCodesAndFlowsInOneStatement() async throws {
        try await withHarness { h in
            let (codeFlow, _) = try await h.flowWithCode("buyer@example.com")
            guard case .signedIn = try await h.service.signIn(email: "buyer@example.com", password: ResetHarness.password, client: "192.0.2.1") else {
                Issue.record("sign-in failed")
                return
            }
            let id = try #require(try await h.store.account(email: "buyer@example.com")?.id)
            try await h.store.changePassword(accountID: id, hash: "x", now: 1)
            func count(_ sql: SQLQueryString) async throws -> Int { try await h.store.database.raw(sql).first()?.decode(column: "n", as: Int.self) ?? -1 }
            #expect(try await count("SELECT COUNT(*) AS n FROM sessions") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM reset_codes") == 0)
            #expect(try await h.service.flow(browser: codeFlow)?.step == .ended)
        }
    }

    /// Issue 24, finding 13: guesses spread over many addresses slow down (a human check per sign-in)
    /// but never lock the owner out; unknown addresses behave the same.
    @Test func manyFailedSignInsToOneAddressAskForAHumanCheckNeverALockout() async throws {
        try await withHarness { h in
            for email in ["buyer@example.com", "nobody@example.com"] {
                for guess in 0..<ResetPolicy.signInFailuresBeforeHumanCheck {
                    #expect(try await h.service.signIn(email: email, password: "wrong guess number \(guess)", client: "198.51.100.\(guess)") == .failed)
                }
                #expect(try await h.service.signIn(email: email, password: ResetHarness.password, client: "192.0.2.50") == .humanCheckRequired, "\(email)")
                #expect(try await h.service.signIn(email: email, password: ResetHarness.password, client: "192.0.2.50",
                                                   proofOfWork: "not a solution") == .humanCheckRequired)
            }
            // The owner solves the check and is in; the same solution does not work twice.
            let proof = try await h.proof()
            guard case .signedIn = try await h.service.signIn(email: "buyer@example.com", password: ResetHarness.password, client: "192.0.2.50",
                                                              proofOfWork: proof) else {
                Issue.record("the owner could not sign in with a solved human check")
                return
            }
            #expect(try await h.service.signIn(email: "buyer@example.com", password: ResetHarness.password, client: "192.0.2.50",
                                               proofOfWork: proof) == .humanCheckRequired)
            // An hour later the address is back to normal.
            h.clock.advance(ResetPolicy.requestWindow + 1)
            guard case .signedIn = try await h.service.signIn(email: "buyer@example.com", password: ResetHarness.password, client: "192.0.2.50") else {
                Issue.record("still slowed down after the window")
                return
            }
        }
    }

    // MARK: Questions

    @Test func threeWrongAnswersLockTheQuestionsForFifteenMinutesButNotTheAccount() async throws {
        try await withHarness { h in
            let browser = try await h.start("buyer@example.com")
            _ = try await h.service.choose(.questions, browser: browser, client: "192.0.2.1")
            #expect(try await h.service.answer(["x", "y"], browser: browser) == .wrongAnswers(attemptsLeft: 2))
            #expect(try await h.service.answer(["x", "y"], browser: browser) == .wrongAnswers(attemptsLeft: 1))
            guard case .questionsLocked = try await h.service.answer(["x", "y"], browser: browser) else { Issue.record("not locked"); return }
            guard case .questionsLocked = try await h.service.answer(ResetHarness.answers, browser: browser) else { Issue.record("right answers let through"); return }
            #expect(h.logs.text.components(separatedBy: "questions path locked for 15 minutes").count == 2, "issue 16: the lock is logged once")
            // A new flow does not unlock them; the account still signs in and the email path still works.
            let other = try await h.start("buyer@example.com")
            _ = try await h.service.choose(.questions, browser: other, client: "192.0.2.1")
            guard case .questionsLocked = try await h.service.answer(ResetHarness.answers, browser: other) else { Issue.record("new flow unlocked"); return }
            guard case .signedIn = try await h.service.signIn(email: "buyer@example.com", password: ResetHarness.password, client: "x") else {
                Issue.record("account locked"); return
            }
            h.clock.advance(ResetPolicy.answerLockout + 1)
            #expect(try await h.service.answer(ResetHarness.answers, browser: other) == .verified)
        }
    }

    @Test func concurrentAnswersGetNoMoreThanThreeChecked() async throws {
        try await withHarness { h in
            let browser = try await h.start("buyer@example.com")
            _ = try await h.service.choose(.questions, browser: browser, client: "192.0.2.1")
            let outcomes = try await withThrowingTaskGroup(of: ResetOutcome.self) { group in
                for index in 0..<12 {
                    group.addTask { try await h.service.answer(index == 11 ? ResetHarness.answers : ["x", "y"], browser: browser) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let checked = h.logs.text.components(separatedBy: "answers failed").count - 1 + h.logs.text.components(separatedBy: "answers verified").count - 1
            #expect(checked <= ResetPolicy.maximumAnswerFailures)
            #expect(outcomes.filter { if case .questionsLocked = $0 { true } else { false } }.count >= 12 - ResetPolicy.maximumAnswerFailures)
        }
    }

    @Test func concurrentWrongSignInsCountAtOnce() async throws {
        try await withHarness { h in
            let outcomes = try await withThrowingTaskGroup(of: ResetService.SignIn.self) { group in
                for _ in 0..<30 { group.addTask { try await h.service.signIn(email: "buyer@example.com", password: "guess", client: "203.0.113.50") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .failed }.count <= ResetPolicy.maximumSignInFailuresPerClient)
            #expect(try await h.service.signIn(email: "buyer@example.com", password: ResetHarness.password, client: "203.0.113.50") == .rateLimited)
        }
    }

    @Test func sessionsEndAfterThirtyDays() async throws {
        try await withHarness { h in
            guard case .signedIn(let session, _) = try await h.service.signIn(email: "buyer@example.com", password: ResetHarness.password, client: "x") else {
                Issue.record("sign-in failed"); return
            }
            h.clock.advance(ResetPolicy.sessionLifetime - 1)
            #expect(try await h.service.account(session: session) != nil)
            h.clock.advance(1)
            #expect(try await h.service.account(session: session) == nil)
        }
    }

    @Test func theSiteNamesDistinctiveWordIsRefusedInPasswords() async throws {
        try await withHarness { h in
            let (browser, code) = try await h.flowWithCode("plain@example.com")
            _ = try await h.service.verifyCode(try #require(code), browser: browser)
            #expect(try await h.service.setPassword("my tradebridge account pw", confirmation: "my tradebridge account pw", browser: browser)
                    == .passwordRejected([.containsContext]))
        }
    }

    // MARK: The new password

    @Test func theNewPasswordNeedsAVerifiedFlowOnceAndFollowsThePolicy() async throws {
        try await withHarness { h in
            let (browser, code) = try await h.flowWithCode("buyer@example.com")
            #expect(try await h.service.setPassword("a perfectly fine password", confirmation: "a perfectly fine password", browser: browser) == .ended)
            _ = try await h.service.verifyCode(try #require(code), browser: browser)
            #expect(try await h.service.setPassword("short", confirmation: "short", browser: browser) == .passwordRejected([.tooShort(minimum: 15)]))
            #expect(try await h.service.flow(browser: browser)?.step == .verified)   // a rejected password changes nothing
            #expect(try await h.service.setPassword("a perfectly fine password", confirmation: "a perfectly fine password", browser: browser) == .passwordChanged)
            #expect(try await h.service.setPassword("another fine long password", confirmation: "another fine long password", browser: browser) == .ended)
            #expect(try await h.accounts.verifyPassword("a perfectly fine password", email: "buyer@example.com"))
        }
    }

    @Test func aVerifiedFlowMustSetThePasswordWithinFifteenMinutes() async throws {
        try await withHarness { h in
            let (browser, code) = try await h.flowWithCode("buyer@example.com")
            _ = try await h.service.verifyCode(try #require(code), browser: browser)
            h.clock.advance(ResetPolicy.verifiedLifetime)
            #expect(try await h.service.setPassword("a perfectly fine password", confirmation: "a perfectly fine password", browser: browser) == .ended)
        }
    }

    @Test func aResetEndsEverySessionAndSignsNobodyIn() async throws {
        try await withHarness { h in
            guard case .signedIn(let session, _) = try await h.service.signIn(email: "buyer@example.com", password: ResetHarness.password, client: "x") else {
                Issue.record("sign-in failed"); return
            }
            #expect(try await h.service.account(session: session)?.email == "buyer@example.com")
            let (browser, code) = try await h.flowWithCode("buyer@example.com")
            _ = try await h.service.verifyCode(try #require(code), browser: browser)
            _ = try await h.service.setPassword("a perfectly fine password", confirmation: "a perfectly fine password", browser: browser)
            #expect(try await h.service.account(session: session) == nil)
            let accountID = try #require(try await h.store.account(email: "buyer@example.com")?.id)
            #expect(try await h.store.sessionCount(accountID: accountID) == 0)
        }
    }

    @Test func anyPasswordChangeKillsOutstandingCodes() async throws {
        try await withHarness { h in
            let (browser, code) = try await h.flowWithCode("buyer@example.com")
            try await h.accounts.setPassword("changed by an administrator", email: "buyer@example.com")
            #expect(try await h.service.verifyCode(try #require(code), browser: browser) == .ended)
        }
    }

    @Test func aSuccessfulResetKillsTheCodesOfOtherFlows() async throws {
        try await withHarness { h in
            let first = try await h.start("buyer@example.com")
            _ = try await h.service.choose(.questions, browser: first, client: "192.0.2.1")
            let (second, code) = try await h.flowWithCode("plain@example.com")
            _ = second
            let (third, buyerCode) = try await h.flowWithCode("buyer@example.com", method: .phone)
            #expect(try await h.service.answer(ResetHarness.answers, browser: first) == .verified)
            _ = try await h.service.setPassword("a perfectly fine password", confirmation: "a perfectly fine password", browser: first)
            #expect(try await h.service.verifyCode(try #require(buyerCode), browser: third) == .ended)
            #expect(code != nil)
        }
    }

    // MARK: Abuse

    @Test func tenResetRequestsPerClientPerHour() async throws {
        try await withHarness { h in
            for _ in 0..<ResetPolicy.maximumRequestsPerClient { _ = try await h.start("buyer@example.com", client: "198.51.100.7") }
            let browser = h.service.newBrowserToken()
            #expect(try await h.service.start(browser: browser, email: "buyer@example.com", proofOfWork: try await h.proof(), client: "198.51.100.7") == .rateLimited)
            #expect(try await h.service.start(browser: browser, email: "buyer@example.com", proofOfWork: try await h.proof(), client: "198.51.100.8") == .started)
            h.clock.advance(ResetPolicy.requestWindow)
            #expect(try await h.service.start(browser: browser, email: "buyer@example.com", proofOfWork: try await h.proof(), client: "198.51.100.7") == .started)
        }
    }

    @Test func aHumanCheckSolutionIsAcceptedOnceAndIsRequired() async throws {
        try await withHarness { h in
            let proof = try await h.proof()
            #expect(try await h.service.start(browser: "a", email: "buyer@example.com", proofOfWork: proof, client: "x") == .started)
            #expect(try await h.service.start(browser: "b", email: "buyer@example.com", proofOfWork: proof, client: "x") == .humanCheckFailed)
            #expect(try await h.service.start(browser: "c", email: "buyer@example.com", proofOfWork: "", client: "x") == .humanCheckFailed)
            #expect(try await h.service.start(browser: "d", email: "not an address", proofOfWork: try await h.proof(), client: "x") == .invalidEmail)
        }
    }

    @Test func sixtyHumanCheckChallengesPerClientPerHour() async throws {
        try await withHarness { h in
            var answered = 0
            for _ in 0...ResetPolicy.maximumChallengesPerClient where try await h.service.challenge(client: "198.51.100.20") != nil { answered += 1 }
            #expect(answered == ResetPolicy.maximumChallengesPerClient)
            let otherClient = try await h.service.challenge(client: "198.51.100.21")
            #expect(otherClient != nil)
            h.clock.advance(ResetPolicy.requestWindow)
            let anHourLater = try await h.service.challenge(client: "198.51.100.20")
            #expect(anHourLater != nil)
        }
    }

    @Test func signInFailuresAreLimitedPerClientAndNeverLockTheAccount() async throws {
        try await withHarness { h in
            // Guesses at many addresses (so that no address reaches its own human-check threshold).
            for guess in 0..<ResetPolicy.maximumSignInFailuresPerClient {
                #expect(try await h.service.signIn(email: "user\(guess)@example.com", password: "guess", client: "203.0.113.9") == .failed)
            }
            #expect(try await h.service.signIn(email: "buyer@example.com", password: ResetHarness.password, client: "203.0.113.9") == .rateLimited)
            guard case .signedIn = try await h.service.signIn(email: "buyer@example.com", password: ResetHarness.password, client: "203.0.113.10") else {
                Issue.record("the account was locked"); return
            }
        }
    }

    @Test func aDeliveryFailureNeverShowsAndIsRetried() async throws {
        try await withHarness { h in
            await h.inbox.setFailing(true)
            let (browser, code) = try await h.flowWithCode("buyer@example.com")
            #expect(code == nil)
            #expect(try await h.service.flow(browser: browser)?.step == .code)
            await h.inbox.setFailing(false)
            #expect(try await h.deliver().isEmpty, "not before the backoff")
            h.clock.advance(Outbox.firstRetryDelay)
            #expect(try await h.deliver().count == 1)
        }
    }

    @Test func noCodePasswordAnswerAddressOrProofEverReachesALog() async throws {
        try await withHarness { h in
            let proof = try await h.proof()
            let browser = h.service.newBrowserToken()
            _ = try await h.service.start(browser: browser, email: "buyer@example.com", proofOfWork: proof, client: "192.0.2.55")
            _ = try await h.service.choose(.email, browser: browser, client: "192.0.2.1")
            let code = try #require(try await h.deliver().compactMap(ResetHarness.code(in:)).last)
            _ = try await h.service.verifyCode("000000" == code ? "111111" : "000000", browser: browser)
            _ = try await h.service.verifyCode(code, browser: browser)
            _ = try await h.service.setPassword("the secret new password", confirmation: "the secret new password", browser: browser)
            _ = try await h.service.signIn(email: "buyer@example.com", password: "the secret new password", client: "192.0.2.55")
            let other = try await h.start("buyer@example.com")
            _ = try await h.service.choose(.questions, browser: other, client: "192.0.2.1")
            _ = try await h.service.answer(["linden street", "wrong answer here"], browser: other)
            let log = h.logs.text
            #expect(!log.isEmpty)
            for secret in [code, "the secret new password", ResetHarness.password, "linden street", "wrong answer here", "buyer@example.com",
                           "+15550100123", "192.0.2.55", String(proof.prefix(40)), browser] {
                #expect(!log.contains(secret), "log contains \(secret)")
            }
        }
    }
}

/// A delivery that works, after which the database is read-only (as if its disk filled up): the
/// "sent" mark of the message just delivered cannot be written.
actor ReadOnlyAfterSend: Delivery {
    let inbox: CapturedDelivery
    let database: any SQLDatabase

    init(inbox: CapturedDelivery, database: any SQLDatabase) {
        self.inbox = inbox
        self.database = database
    }

    func deliver(_ message: Message) async throws {
        try await inbox.deliver(message)
        try await database.raw("PRAGMA query_only = 1").run()
    }
}
