import Testing
@testable import HelpCenterReset

/// A cheap hasher so the suite stays fast; one test below uses the production defaults.
private let fastHasher = PasswordHasher(memoryKiB: 64, iterations: 1)

@Suite("PasswordHasher")
struct PasswordHasherTests {
    @Test("hash then verify succeeds")
    func hashThenVerify() throws {
        let encoded = try fastHasher.hash("correct horse battery staple")
        #expect(encoded.hasPrefix("$argon2id$v=19$m=64,t=1,p=1$"))
        #expect(fastHasher.verify("correct horse battery staple", against: encoded))
    }

    @Test("a wrong password does not verify")
    func wrongPassword() throws {
        let encoded = try fastHasher.hash("correct horse battery staple")
        #expect(!fastHasher.verify("correct horse battery stapler", against: encoded))
        #expect(!fastHasher.verify("Correct horse battery staple", against: encoded))
        #expect(!fastHasher.verify("", against: encoded))
    }

    @Test("two hashes of the same password differ (random salt)")
    func saltedHashesDiffer() throws {
        let first = try fastHasher.hash("same password twice")
        let second = try fastHasher.hash("same password twice")
        #expect(first != second)
        #expect(fastHasher.verify("same password twice", against: first))
        #expect(fastHasher.verify("same password twice", against: second))
    }

    @Test("NFKC: composed é verifies against a hash of e + U+0301, and vice versa")
    func nfkcNormalisation() throws {
        let decomposed = "caf\u{65}\u{301} au lait pour deux"
        let composed = "caf\u{E9} au lait pour deux"
        #expect(Array(decomposed.unicodeScalars) != Array(composed.unicodeScalars))
        #expect(fastHasher.verify(composed, against: try fastHasher.hash(decomposed)))
        #expect(fastHasher.verify(decomposed, against: try fastHasher.hash(composed)))
        // Compatibility mapping too: the "ﬁ" ligature and full-width digits.
        #expect(fastHasher.verify("fine 123", against: try fastHasher.hash("\u{FB01}ne \u{FF11}\u{FF12}\u{FF13}")))
    }

    @Test("malformed or foreign encoded strings give false, never throw")
    func malformedEncodings() throws {
        let good = try fastHasher.hash("a perfectly fine passphrase")
        let truncated = String(good.dropLast(10))
        let otherVariant = good.replacingOccurrences(of: "$argon2id$", with: "$argon2i$")
        let hugeMemory = good.replacingOccurrences(of: "m=64,", with: "m=4294967295,")
        let extraField = good + "$extra"
        let withNUL = "$argon2id$v=19$m=64,t=1,p=1$\u{0}" + good
        for encoded in ["", "not a hash", "$argon2id$", "$argon2id$v=19$m=64,t=1,p=1$$",
                        truncated, otherVariant, hugeMemory, extraField, withNUL] {
            #expect(!fastHasher.verify("a perfectly fine passphrase", against: encoded), "\(encoded)")
        }
    }

    @Test("default parameters: OWASP m=19 MiB, t=2, p=1, PHC string with 16-byte salt and 32-byte tag")
    func defaultParameters() throws {
        let hasher = PasswordHasher()
        #expect(hasher.memoryKiB == 19_456 && hasher.iterations == 2 && hasher.parallelism == 1)
        let encoded = try hasher.hash("correct horse battery staple")
        #expect(encoded.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        let fields = encoded.split(separator: "$")
        #expect(fields.count == 5)
        // Unpadded base64: 16 bytes -> 22 characters, 32 bytes -> 43 characters.
        #expect(fields[3].count == 22)
        #expect(fields[4].count == 43)
        #expect(hasher.verify("correct horse battery staple", against: encoded))
        // Parameters come from the stored string, so a cheap hasher still verifies it.
        #expect(fastHasher.verify("correct horse battery staple", against: encoded))
    }

    @Test("an argon2 error is thrown as PasswordHasher.Failure")
    func argon2Failure() {
        let broken = PasswordHasher(memoryKiB: 1, iterations: 1)
        let error = #expect(throws: PasswordHasher.Failure.self) { try broken.hash("whatever it is") }
        #expect(error?.code ?? 0 < 0)
        #expect(error?.description.contains("Argon2 error") == true)
    }
}

@Suite("PasswordPolicy")
struct PasswordPolicyTests {
    let policy = PasswordPolicy()
    let context = ["buyer@example.com", "buyer", "TradeBridge"]

    func problems(_ password: String, _ policy: PasswordPolicy? = nil) -> [PasswordPolicy.Problem] {
        (policy ?? self.policy).problems(password, confirmation: password, context: context)
    }

    @Test("14 code points are too short, 15 are accepted")
    func minimumLength() {
        #expect(policy.minimumLength == 15)
        #expect(problems("river otter mug") == [])  // 15
        #expect(problems("river otter mu") == [.tooShort(minimum: 15)])  // 14
    }

    @Test("length counts Unicode code points after NFKC, not UTF-8 bytes")
    func codePoints() {
        // Accented letters and emoji, not one repeated unit (that would be refused as common).
        func cycle(_ units: [String], _ count: Int) -> String { (0..<count).map { units[$0 % units.count] }.joined() }
        let composed = cycle(["\u{E9}", "\u{E0}", "\u{FC}", "\u{F4}", "\u{E7}"], 15)
        #expect(composed.utf8.count == 30)
        #expect(problems(composed) == [])
        // 14 decomposed letters are 28 scalars as typed but 14 after NFKC.
        let decomposed = ["e\u{301}", "a\u{300}", "u\u{308}", "o\u{302}", "c\u{327}"]
        #expect(problems(cycle(decomposed, 14)) == [.tooShort(minimum: 15)])
        #expect(problems(cycle(decomposed, 15)) == [])
        let faces = ["\u{1F642}", "\u{1F600}", "\u{1F60E}", "\u{1F914}", "\u{1F680}"]
        let emoji = cycle(faces, 15)
        #expect(emoji.utf8.count == 60)
        #expect(problems(emoji) == [])
        #expect(problems(cycle(faces, 14)) == [.tooShort(minimum: 15)])
    }

    @Test("257 code points are too long; 256 are accepted and hashed without truncation, letters or emoji")
    func maximumLength() throws {
        let base = "correct horse battery staple ".unicodeScalars.map(Character.init)
        let faces = ["\u{1F642}", "\u{1F600}", "\u{1F60E}", "\u{1F914}", "\u{1F680}"]
        for unit in [base.map(String.init), faces] {
            let longest = String((0 ..< 256).map { unit[$0 % unit.count] }.joined())
            #expect(longest.unicodeScalars.count == PasswordPolicy.maximumLength)
            #expect(problems(longest) == [])
            #expect(problems(longest + "x") == [.tooLong(maximum: 256)])
            let encoded = try fastHasher.hash(longest)
            #expect(fastHasher.verify(longest, against: encoded))
            #expect(!fastHasher.verify(String(longest.dropLast()), against: encoded))
        }
        // 256 emoji are 1,024 bytes: a form field holds them (the form limit is in bytes).
        #expect(String((0 ..< 256).map { faces[$0 % faces.count] }.joined()).utf8.count <= ResetPolicy.maximumFieldBytes)
    }

    @Test("a site minimum is clamped to 8 ... the maximum (256)")
    func clampedMinimum() {
        #expect(PasswordPolicy(minimumLength: 4).minimumLength == 8)
        #expect(PasswordPolicy(minimumLength: 12).minimumLength == 12)
        #expect(PasswordPolicy(minimumLength: 500).minimumLength == 256)
        let eight = PasswordPolicy(minimumLength: 4)
        #expect(problems("otterq7", eight) == [.tooShort(minimum: 8)])
        #expect(problems("otterq78", eight) == [])
    }

    @Test("common passwords are refused, case-insensitively")
    func commonPasswords() {
        let eight = PasswordPolicy(minimumLength: 8)
        #expect(PasswordPolicy.commonPasswords.contains("password123"))
        #expect(problems("password123", eight) == [.common])
        #expect(problems("PassWord123", eight) == [.common])
        #expect(problems("iloveyou", eight) == [.common])
        // Entries long enough for the default minimum.
        #expect(PasswordPolicy.commonPasswords.contains("1qaz2wsx3edc4rfv"))
        #expect(problems("1qaz2wsx3edc4rfv") == [.common])
        #expect(problems("123456789987654321") == [.common])
        // Short and common: both reasons, length first.
        #expect(problems("password") == [.tooShort(minimum: 15), .common])
    }

    @Test("a listed password repeated or padded with digits and symbols is common too")
    func repeatedAndPaddedCommonPasswords() {
        let policy = PasswordPolicy()
        for password in ["passwordpassword", "PasswordPassword", "aaaaaaaaaaaaaaaa", "abcabcabcabcabcabc", "password123456789", "!!iloveyou123456789!!"] {
            #expect(policy.problems(password, confirmation: password, context: []).contains(.common), "\(password)")
        }
        for password in ["harbour lantern velvet", "correct horse battery staple", "password of my own making"] {
            #expect(!policy.problems(password, confirmation: password, context: []).contains(.common), "\(password)")
        }
    }

    @Test("a custom blocklist is matched case-insensitively after NFKC")
    func customBlocklist() {
        let custom = PasswordPolicy(blocklist: ["Caf\u{E9} Au Lait Forever"])
        #expect(custom.problems("caf\u{65}\u{301} au lait forever", confirmation: "caf\u{E9} au lait forever", context: []) == [.common])
        #expect(custom.problems("password123password", confirmation: "password123password", context: []) == [])
    }

    @Test("the confirmation must match")
    func mismatch() {
        #expect(policy.problems("river otter mug", confirmation: "river otter mugs", context: context) == [.mismatch])
        // Composed and decomposed forms of the same text are the same password.
        #expect(policy.problems("caf\u{E9} au lait pour deux", confirmation: "caf\u{65}\u{301} au lait pour deux", context: context) == [])
        #expect(policy.problems("short", confirmation: "other", context: context) == [.mismatch, .tooShort(minimum: 15)])
    }

    @Test("context words (email, its local part, product name) are refused")
    func contextWords() {
        #expect(problems("buyer@example.com") == [.containsContext])
        #expect(problems("Buyer-loves-long-walks") == [.containsContext])
        #expect(problems("my tradebridge account") == [.containsContext])
        // The local part is derived from an email address even when not passed separately.
        #expect(PasswordPolicy().problems("buyer-loves-long-walks", confirmation: "buyer-loves-long-walks",
                                          context: ["Buyer@Example.com"]) == [.containsContext])
        // Words shorter than 4 characters only count as the whole password.
        #expect(PasswordPolicy().problems("bob likes long walks", confirmation: "bob likes long walks",
                                          context: ["bob@example.com", "bob"]) == [])
    }

    @Test("no composition rules: a lowercase passphrase is accepted")
    func noCompositionRules() {
        #expect(problems("correct horse battery staple") == [])
        #expect(problems("only lowercase letters here") == [])
        #expect(problems("ONLY CAPITALS AND SPACES") == [])
    }

    @Test("messages are plain language")
    func messages() {
        #expect(PasswordPolicy.message(for: .tooShort(minimum: 15))
            == "Use at least 15 characters. A few unrelated words make a long password that is easy to remember.")
        #expect(PasswordPolicy.message(for: .tooLong(maximum: 256)).contains("256"))
        for problem: PasswordPolicy.Problem in [.mismatch, .common, .containsContext] {
            #expect(!PasswordPolicy.message(for: problem).isEmpty)
        }
    }

    @Test("the shipped blocklist loads from the resource bundle")
    func shippedBlocklist() {
        let list = PasswordPolicy.commonPasswords
        #expect(list.count >= 3_000)
        #expect(list.contains("password"))
        #expect(list.contains("123456"))
        #expect(!list.contains { $0.hasPrefix("#") || $0.isEmpty || $0 != $0.lowercased() })
    }

    @Test("blocklist parsing ignores comments and blank lines")
    func blocklistParsing() {
        let parsed = PasswordPolicy.parseBlocklist("# source: test\nHunter2\r\n\n  letmein  \n#comment\n")
        #expect(parsed == ["hunter2", "letmein"])
    }
}

/// Issue 24, finding 10: sequences, repeats, keyboard walks and invisible characters inside a common
/// password (NIST SP 800-63B §3.1.1.2), in the reset and in `accounts add|import`.
@Suite("Predictable passwords")
struct PredictablePasswordTests {
    @Test(arguments: [
        "123456789012345", "987654321098765", "aaaaaaaaaaaaaaaab", "qwertyuiopasdfghjkl", "zyxwvutsrqponmlk", "abcdefghijklmnop",
        "1qaz2wsx3edc4rfv", "asdfghjkl;qwertyui", "abababababababab", "pass\u{200B}word123456789", "qwertzuiopasdfghj", "1111122222333334444",
        // Found by a review helper:
        "1q2w3e4r5t6y7u8i9o0p", "qwertyqwertyqwertyqw", "passwordpassword123", "p@ssw0rdp@ssw0rd!!", "iloveyouiloveyou1",
        "correcthorsebatterystaple", "!@#$%^&*()_+!@#$%^", "trustno1trustno1trust",
    ])
    func areRefusedAsCommon(_ password: String) {
        #expect(PasswordPolicy().problems(password, confirmation: password, context: []) == [.common], "\(password)")
    }

    @Test(arguments: ["harbour lantern velvet 42", "copper meadow quiet 17", "brand new harbour password", "correct horse battery staple",
                      "Ein sehr langes Passwort 7"])
    func ordinaryPassphrasesPass(_ password: String) {
        #expect(PasswordPolicy().problems(password, confirmation: password, context: []).isEmpty, "\(password)")
    }
}
