/// The Snowball English stemmer ("Porter2"), as specified at snowballstem.org/algorithms/english.
///
/// Input: one lowercased word. Words of two letters or less, and words with characters outside
/// `a`–`z` and `'`, are returned unchanged (the analyzer folds diacritics first, so `café` arrives as
/// `cafe`). Output: the stem, e.g. `cancellation` → `cancel`, `generously` → `generous`.
public enum EnglishStemmer {
    public static func stem(_ word: String) -> String {
        guard word.utf8.count > 2, word.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || $0 == 39 }) else { return word }
        if let exception = exceptions1[word] { return exception }
        var w = Word(word)
        guard w.count > 2 else { return word }
        w.step0()
        w.step1a()
        if let done = exceptions2[w.string] { return done }
        w.step1b()
        w.step1c()
        w.step2()
        w.step3()
        w.step4()
        w.step5()
        return w.string.replacingUppercaseY()
    }

    static let exceptions1: [String: String] = [
        "skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie", "idly": "idl",
        "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli", "singly": "singl",
        "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas", "cosmos": "cosmos", "bias": "bias", "andes": "andes",
    ]

    static let exceptions2: [String: String] = [
        "inning": "inning", "outing": "outing", "canning": "canning", "herring": "herring", "earring": "earring",
        "proceed": "proceed", "exceed": "exceed", "succeed": "succeed",
    ]

    /// The word being stemmed, as bytes, with its R1 and R2 regions.
    private struct Word {
        var b: [UInt8]
        var r1 = 0
        var r2 = 0

        init(_ word: String) {
            b = Array(word.utf8)
            if b.first == UInt8(ascii: "'") { b.removeFirst() }
            // y at the start or after a vowel is a consonant: mark it as Y.
            for i in b.indices where b[i] == UInt8(ascii: "y") && (i == 0 || Self.isVowel(b[i - 1])) {
                b[i] = UInt8(ascii: "Y")
            }
            let text = String(decoding: b, as: UTF8.self)
            if let prefix = ["gener", "commun", "arsen"].first(where: { text.hasPrefix($0) }) {
                r1 = prefix.utf8.count
            } else {
                r1 = Self.regionStart(b, from: 0)
            }
            r2 = Self.regionStart(b, from: r1)
        }

        var count: Int { b.count }
        var string: String { String(decoding: b, as: UTF8.self) }

        static func isVowel(_ c: UInt8) -> Bool {
            c == 97 || c == 101 || c == 105 || c == 111 || c == 117 || c == 121  // a e i o u y
        }

        /// The index after the first non-vowel that follows a vowel, at or after `from` (R1, R2).
        static func regionStart(_ b: [UInt8], from: Int) -> Int {
            var i = from
            while i + 1 < b.count {
                if isVowel(b[i]) && !isVowel(b[i + 1]) { return i + 2 }
                i += 1
            }
            return b.count
        }

        func ends(_ suffix: String) -> Bool {
            let count = suffix.utf8.count
            guard count <= b.count else { return false }
            var i = b.count - count
            for byte in suffix.utf8 {
                if b[i] != byte { return false }
                i += 1
            }
            return true
        }

        /// The longest of `suffixes` the word ends with.
        func longest(_ suffixes: [String]) -> String? {
            var best: String?
            for suffix in suffixes where suffix.utf8.count > (best?.utf8.count ?? 0) && ends(suffix) { best = suffix }
            return best
        }

        func inR1(_ suffix: String) -> Bool { b.count - suffix.utf8.count >= r1 }
        func inR2(_ suffix: String) -> Bool { b.count - suffix.utf8.count >= r2 }

        mutating func replace(_ suffix: String, with replacement: String) {
            b.removeLast(suffix.utf8.count)
            b += Array(replacement.utf8)
        }

        /// Whether the part before the last `length` bytes contains a vowel.
        func hasVowel(before length: Int) -> Bool {
            b[..<(b.count - length)].contains { Self.isVowel($0) }
        }

        /// A short syllable ending at `end` (exclusive): non-vowel, vowel, non-vowel other than w, x, Y;
        /// or, at the start of the word, vowel then non-vowel.
        func endsWithShortSyllable(at end: Int) -> Bool {
            if end == 2 { return Self.isVowel(b[0]) && !Self.isVowel(b[1]) }
            guard end >= 3 else { return false }
            let c = b[end - 1]
            return !Self.isVowel(b[end - 3]) && Self.isVowel(b[end - 2]) && !Self.isVowel(c)
                && c != UInt8(ascii: "w") && c != UInt8(ascii: "x") && c != UInt8(ascii: "Y")
        }

        var isShort: Bool { r1 >= b.count && endsWithShortSyllable(at: b.count) }

        mutating func step0() {
            if let suffix = longest(["'", "'s", "'s'"]) { b.removeLast(suffix.utf8.count) }
        }

        mutating func step1a() {
            guard let suffix = longest(["sses", "ied", "ies", "us", "ss", "s"]) else { return }
            switch suffix {
            case "sses": replace(suffix, with: "ss")
            case "ied", "ies": replace(suffix, with: b.count - 3 > 1 ? "i" : "ie")
            case "s":
                if b.count >= 2, b[..<(b.count - 2)].contains(where: { Self.isVowel($0) }) { b.removeLast() }
            default: break
            }
        }

        mutating func step1b() {
            guard let suffix = longest(["eed", "eedly", "ed", "edly", "ing", "ingly"]) else { return }
            if suffix == "eed" || suffix == "eedly" {
                if inR1(suffix) { replace(suffix, with: "ee") }
                return
            }
            guard hasVowel(before: suffix.utf8.count) else { return }
            b.removeLast(suffix.utf8.count)
            if ends("at") || ends("bl") || ends("iz") {
                b.append(UInt8(ascii: "e"))
            } else if let last = b.last, b.count >= 2, b[b.count - 2] == last, "bdfgmnprt".utf8.contains(last) {
                b.removeLast()
            } else if isShort {
                b.append(UInt8(ascii: "e"))
            }
        }

        mutating func step1c() {
            guard b.count > 2, let last = b.last, last == UInt8(ascii: "y") || last == UInt8(ascii: "Y"),
                  !Self.isVowel(b[b.count - 2]) else { return }
            b[b.count - 1] = UInt8(ascii: "i")
        }

        static let step2Rules: [(String, String)] = [
            ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("abli", "able"), ("entli", "ent"),
            ("izer", "ize"), ("ization", "ize"), ("ational", "ate"), ("ation", "ate"), ("ator", "ate"),
            ("alism", "al"), ("aliti", "al"), ("alli", "al"), ("fulness", "ful"), ("ousli", "ous"),
            ("ousness", "ous"), ("iveness", "ive"), ("iviti", "ive"), ("biliti", "ble"), ("bli", "ble"),
            ("ogi", "og"), ("fulli", "ful"), ("lessli", "less"), ("li", ""),
        ]

        mutating func step2() {
            guard let suffix = longest(Self.step2Rules.map(\.0)), inR1(suffix) else { return }
            let replacement = Self.step2Rules.first { $0.0 == suffix }!.1
            let before = b.count > suffix.utf8.count ? b[b.count - suffix.utf8.count - 1] : 0
            switch suffix {
            case "ogi": if before == UInt8(ascii: "l") { replace(suffix, with: replacement) }
            case "li": if "cdeghkmnrt".utf8.contains(before) { replace(suffix, with: replacement) }
            default: replace(suffix, with: replacement)
            }
        }

        static let step3Rules: [(String, String)] = [
            ("tional", "tion"), ("ational", "ate"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"),
            ("ical", "ic"), ("ful", ""), ("ness", ""), ("ative", ""),
        ]

        mutating func step3() {
            guard let suffix = longest(Self.step3Rules.map(\.0)), inR1(suffix) else { return }
            if suffix == "ative" && !inR2(suffix) { return }
            replace(suffix, with: Self.step3Rules.first { $0.0 == suffix }!.1)
        }

        mutating func step4() {
            let suffixes = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
                            "ism", "ate", "iti", "ous", "ive", "ize", "ion"]
            guard let suffix = longest(suffixes), inR2(suffix) else { return }
            if suffix == "ion" {
                let before = b.count > 3 ? b[b.count - 4] : 0
                guard before == UInt8(ascii: "s") || before == UInt8(ascii: "t") else { return }
            }
            b.removeLast(suffix.utf8.count)
        }

        mutating func step5() {
            if ends("e") {
                if inR2("e") || (inR1("e") && !endsWithShortSyllable(at: b.count - 1)) { b.removeLast() }
            } else if ends("l"), inR2("l"), b.count >= 2, b[b.count - 2] == UInt8(ascii: "l") {
                b.removeLast()
            }
        }
    }
}

private extension String {
    func replacingUppercaseY() -> String {
        String(decoding: utf8.map { $0 == UInt8(ascii: "Y") ? UInt8(ascii: "y") : $0 }, as: UTF8.self)
    }
}
