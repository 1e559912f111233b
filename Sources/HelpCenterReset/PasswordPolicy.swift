import Foundation

/// The rules for a new password (NIST SP 800-63B-4 §3.1.1.2, OWASP ASVS 5.0 6.2.1–6.2.12): length counted in Unicode code points after NFKC; at least `minimumLength` (15 by default, a site may lower it to no less than 8), at most ``maximumLength`` (256, for passphrases and password managers; never truncated; sign-in refuses a longer one as wrong, without a separate answer); no composition rules; not in the blocklist of common passwords; not the account's email address, its local part, or the product name (context words, compared case-insensitively).
public struct PasswordPolicy: Sendable {
    public static let defaultMinimumLength = 15
    public static let lowestMinimumLength = 8
    public static let maximumLength = 256
    /// Context words shorter than this only count when the whole password equals them.
    static let minimumContextWordLength = 4

    public let minimumLength: Int
    /// Lowercase NFKC entries.
    let blocklist: Set<String>

    /// `minimumLength` is clamped to `lowestMinimumLength ... maximumLength`. Blocklist entries are
    /// compared case-insensitively after NFKC.
    public init(minimumLength: Int = PasswordPolicy.defaultMinimumLength, blocklist: Set<String> = PasswordPolicy.commonPasswords) {
        self.minimumLength = max(Self.lowestMinimumLength, min(minimumLength, Self.maximumLength))
        if blocklist.allSatisfy(Self.isCanonicalASCII) {
            self.blocklist = blocklist
        } else {
            self.blocklist = Set(blocklist.map(Self.canonical))
        }
    }

    public enum Problem: Equatable, Sendable {
        case mismatch
        case tooShort(minimum: Int)
        case tooLong(maximum: Int)
        case common
        case containsContext
    }

    /// The reasons `password` is refused (empty when it is accepted), in the order a person should fix them.
    ///
    /// - Parameters:
    ///   - password: the new password as typed.
    ///   - confirmation: the second entry; compared after NFKC.
    ///   - context: words the password must not be or contain, e.g. `["buyer@example.com", "buyer", "TradeBridge"]`.
    ///     For an email address its local part is checked too.
    public func problems(_ password: String, confirmation: String, context: [String]) -> [Problem] {
        let normalized = PasswordHasher.normalize(password)
        var found: [Problem] = []

        if normalized != PasswordHasher.normalize(confirmation) {
            found.append(.mismatch)
        }

        let length = normalized.unicodeScalars.count
        if length < minimumLength {
            found.append(.tooShort(minimum: minimumLength))
        } else if length > Self.maximumLength {
            found.append(.tooLong(maximum: Self.maximumLength))
        }

        let lowered = normalized.lowercased()
        if isCommon(lowered) {
            found.append(.common)
        }

        if Self.containsContext(lowered, context: context) {
            found.append(.containsContext)
        }
        return found
    }

    /// Whether a lowercased password is common: in the blocklist, or one listed password (or any
    /// short unit) repeated (`passwordpassword`, `abcabcabcabcabc`), or a listed password padded with
    /// digits and symbols (`password123456789!`). Listed passwords are mostly short, so with a 15-character
    /// minimum the padded and repeated forms are the ones people actually type.
    ///
    /// Invisible characters (format characters such as U+200B, variation selectors) are removed first,
    /// and a password made of at most three keyboard or alphabet walks (`qwertyuiopasdfghjkl`,
    /// `123456789012345`, `zyxwvutsrqponml`), or of fewer than five distinct characters
    /// (`aaaaaaaaaaaaaaaab`), is common too (NIST SP 800-63B §3.1.1.2: sequential and repetitive characters).
    func isCommon(_ lowered: String) -> Bool {
        let visible = String(String.UnicodeScalarView(lowered.unicodeScalars.filter {
            $0.properties.generalCategory != .format && !$0.properties.isVariationSelector
        }))
        if visible != lowered { return isCommon(visible) }
        if blocklist.contains(lowered) { return true }
        if Set(lowered.unicodeScalars).count < 5 || Self.isWalk(lowered) { return true }
        // Letters written as digits and symbols (`p@ssw0rd`): the same checks on the plain letters.
        let plain = String(lowered.map { Self.leet[$0] ?? $0 })
        if plain != lowered && isCommon(plain) { return true }
        // A word typed again and again, cut anywhere (`qwertyqwertyqw`, `iloveyouiloveyou1`).
        let letters = Array(lowered.unicodeScalars)
        for period in 3...max(3, letters.count / 2) where period < letters.count {
            let repeated = letters.indices.prefix { $0 < period || letters[$0] == letters[$0 - period] }.count
            if repeated >= period * 2 && repeated >= letters.count - 3 {
                let unit = String(String.UnicodeScalarView(letters[0..<period]))
                if blocklist.contains(unit) || Self.isWalk(unit) || period <= 4 { return true }
            }
        }
        let scalars = Array(lowered.unicodeScalars)
        for unit in 1...max(1, scalars.count / 2) where scalars.count % unit == 0 {
            let head = scalars[0..<unit]
            if stride(from: unit, to: scalars.count, by: unit).allSatisfy({ scalars[$0..<$0 + unit] == head }) {
                if unit <= 4 || blocklist.contains(String(String.UnicodeScalarView(head))) { return true }
            }
        }
        let core = lowered.trimmingCharacters(in: CharacterSet.alphanumerics.inverted.union(.decimalDigits))
        return core != lowered && core.unicodeScalars.count >= 4 && blocklist.contains(core)
    }

    /// Rows and columns of common keyboard layouts (QWERTY, QWERTZ, AZERTY), the alphabet and the digits
    /// (0 follows 9): two characters next to each other in one of these, either way, are a step of a walk.
    static let walks = ["abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "yxcvbnm",
                        "azertyuiop", "qsdfghjklm", "wxcvbn", "1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik", "9ol", "0p",
                        "1q2w3e4r5t6y7u8i9o0p", "`1234567890-=", "~!@#$%^&*()_+"]
    /// Digits and symbols people write for letters.
    static let leet: [Character: Character] = ["@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"]
    static let walkSteps: Set<String> = {
        var steps: Set<String> = []
        for walk in walks {
            let characters = Array(walk)
            for index in characters.indices.dropLast() {
                steps.insert(String([characters[index], characters[index + 1]]))
                steps.insert(String([characters[index + 1], characters[index]]))
            }
        }
        return steps
    }()

    /// Whether `lowered`, without spaces and punctuation, is at most three walks (runs of characters
    /// each next to the one before on a keyboard row, in the alphabet or among the digits).
    static func isWalk(_ lowered: String) -> Bool {
        let characters = Array(lowered.filter { !$0.isWhitespace })
        guard characters.count >= 2 else { return false }
        var runs = 1
        for index in characters.indices.dropFirst() where !walkSteps.contains(String([characters[index - 1], characters[index]])) {
            runs += 1
            if runs > 3 { return false }
        }
        return true
    }

    /// Plain-language text for a problem, shown on the reset page (e.g. "Use at least 15 characters. A few unrelated words make a long password that is easy to remember.").
    public static func message(for problem: Problem) -> String {
        switch problem {
        case .mismatch:
            return "The two passwords don't match. Type the same password in both boxes."
        case .tooShort(let minimum):
            return "Use at least \(minimum) characters. A few unrelated words make a long password that is easy to remember."
        case .tooLong(let maximum):
            return "Use no more than \(maximum) characters."
        case .common:
            return "This password is one of the most common ones, so it is among the first that attackers try. Choose something less predictable, such as a few unrelated words."
        case .containsContext:
            return "Don't use your email address, the name before the @, or the name of this service in your password."
        }
    }

    /// The common-password blocklist shipped with the product (Resources/common-passwords.txt, one lowercase password per line), loaded once.
    public static let commonPasswords: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt", subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            // Like SwiftPM's own Bundle.module accessor: a missing resource is a packaging error,
            // and silently accepting common passwords would be worse than failing loudly.
            fatalError("HelpCenterReset: Resources/common-passwords.txt is missing from the resource bundle")
        }
        return parseBlocklist(text)
    }()

    /// One password per line; blank lines and lines starting with `#` are ignored.
    static func parseBlocklist(_ text: String) -> Set<String> {
        var entries = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            let entry = line.trimmingCharacters(in: .whitespaces)
            if entry.isEmpty || entry.hasPrefix("#") { continue }
            entries.insert(isCanonicalASCII(entry) ? entry : canonical(entry))
        }
        return entries
    }

    /// Lowercase NFKC, the form used for blocklist and context comparisons.
    static func canonical(_ text: String) -> String {
        PasswordHasher.normalize(text).lowercased()
    }

    /// ASCII without capitals is already canonical, which spares normalising 10,000 entries.
    static func isCanonicalASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 && !(0x41 ... 0x5A).contains($0) }
    }

    static func containsContext(_ loweredPassword: String, context: [String]) -> Bool {
        guard !loweredPassword.isEmpty else { return false }
        var words: [String] = []
        for item in context {
            let word = canonical(item).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !word.isEmpty else { continue }
            words.append(word)
            if let at = word.lastIndex(of: "@"), at > word.startIndex {
                words.append(String(word[..<at]))
            }
        }
        return words.contains { word in
            loweredPassword == word
                || (word.unicodeScalars.count >= minimumContextWordLength && loweredPassword.contains(word))
        }
    }
}
