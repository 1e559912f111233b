import Foundation
import Synchronization

/// Turns text into search terms. One code path serves indexing and queries, so a query term always
/// meets the document term it was meant for.
///
/// Steps: Unicode NFKC (UAX #15); case folding; diacritics removed (`résumé`, composed or decomposed,
/// → `resume`; `ß` → `ss`); curly and straight apostrophes alike (and dropped inside words, so
/// `buyer’s` → `buyers`); zero-width characters dropped. Words are runs of letters and digits; words
/// joined by `-`, `/`, `.` or `_` (`sign-in`, `application/json`, `15-minute`) are kept whole as well as
/// split, and letter/digit runs (`2fa` → `2`, `fa`) are parts too. Words of letters a–z are stemmed
/// with the Snowball English (Porter2) stemmer; a small list of English stop words is left out.
/// Runs of CJK characters (Han, Hiragana, Katakana, Hangul) become overlapping character bigrams.
public struct Analyzer: Sendable {
    /// One term and where its word starts in the normalized text (in Unicode scalars), for snippets.
    public struct Token: Sendable, Equatable {
        public var term: String
        /// The word as it appears in the folded text (unstemmed), for prefix matching of the last query word.
        public var word: String
        /// Position of the word among the words of the text (compound parts share their compound's position).
        public var position: Int
        /// Whether this is a whole compound (`sign-in`) rather than a word or a part.
        public var isCompound: Bool
    }

    public static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "i", "if", "in",
        "is", "it", "me", "my", "of", "on", "or", "our", "so", "that", "the", "this", "to", "was", "we",
        "what", "when", "where", "which", "who", "why", "will", "with", "you", "your", "can",
    ]

    public init() {}

    /// Folds `text` for matching: NFKC, lowercase, no diacritics, one apostrophe, no zero-width characters.
    public static func fold(_ text: String) -> String {
        // ASCII needs only lowercasing (NFKC and diacritic folding leave it unchanged); only runs of
        // other characters go through Unicode normalization.
        var out: [UInt8] = []  // UTF-8
        out.reserveCapacity(text.utf8.count)
        var run = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                if !run.isEmpty { out += foldNonASCII(run).utf8; run = "" }
                let byte = UInt8(scalar.value)
                out.append(byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte == 0x60 ? 0x27 : byte)
            } else {
                run.unicodeScalars.append(scalar)
            }
        }
        if !run.isEmpty { out += foldNonASCII(run).utf8 }
        return String(decoding: out, as: UTF8.self)
    }

    private static func foldNonASCII(_ text: String) -> String {
        var folded = String.UnicodeScalarView()
        for scalar in text.precomposedStringWithCompatibilityMapping.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD: continue  // zero-width and soft hyphen
            case 0x2018, 0x2019, 0x201B, 0x02BC, 0x2032, 0x0060, 0x00B4: folded.append("'")
            case 0x00DF: folded.append("s"); folded.append("s")
            default:
                if scalar.properties.generalCategory == .nonspacingMark { continue }
                folded.append(scalar)
            }
        }
        return String(folded).precomposedStringWithCanonicalMapping
    }

    /// The characters that join words into a compound (`sign-in`, `application/json`, `v1.2`, `po_702`).
    static func isJoiner(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "-" || scalar == "/" || scalar == "." || scalar == "_"
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xAC00...0xD7AF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A)
        }
        guard !isCJK(scalar) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// The tokens of `text`, in order.
    public func tokens(_ text: String) -> [Token] {
        let scalars = Array(Self.fold(text).unicodeScalars)
        var tokens: [Token] = []
        var position = 0
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            if Self.isCJK(scalar) {
                var run: [Unicode.Scalar] = []
                while i < scalars.count, Self.isCJK(scalars[i]) { run.append(scalars[i]); i += 1 }
                if run.count == 1 {
                    let term = String(String.UnicodeScalarView(run))
                    tokens.append(Token(term: term, word: term, position: position, isCompound: false))
                    position += 1
                }
                for j in 0..<max(0, run.count - 1) {
                    let term = String(String.UnicodeScalarView(run[j...(j + 1)]))
                    tokens.append(Token(term: term, word: term, position: position, isCompound: false))
                    position += 1
                }
                continue
            }
            guard Self.isWordScalar(scalar) else { i += 1; continue }
            // A compound: words joined by - / . _ or an apostrophe, with no spaces.
            var words: [String] = []
            var separators: [Unicode.Scalar] = []
            var current: [UInt8] = []  // UTF-8: far cheaper to grow than a String.UnicodeScalarView
            while i < scalars.count {
                let c = scalars[i]
                if Self.isWordScalar(c) {
                    if c.isASCII { current.append(UInt8(c.value)) } else { current += String(c).utf8 }
                    i += 1
                } else if c == "'", !current.isEmpty, i + 1 < scalars.count, Self.isWordScalar(scalars[i + 1]) {
                    i += 1  // apostrophe inside a word: dropped
                } else if Self.isJoiner(c), !current.isEmpty, i + 1 < scalars.count, Self.isWordScalar(scalars[i + 1]) {
                    words.append(String(decoding: current, as: UTF8.self))
                    separators.append(c)
                    current.removeAll(keepingCapacity: true)
                    i += 1
                } else {
                    break
                }
            }
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            if words.count > 1 {
                var whole = words[0]
                for (separator, word) in zip(separators, words.dropFirst()) { whole += String(separator) + word }
                tokens.append(Token(term: whole, word: whole, position: position, isCompound: true))
            }
            for word in words { appendWord(word, position: position, to: &tokens) }
            position += 1
        }
        return tokens
    }

    /// The terms of `text` (tokens without positions).
    public func terms(_ text: String) -> [String] { tokens(text).map(\.term) }

    private func appendWord(_ word: String, position: Int, to tokens: inout [Token]) {
        guard !Self.stopWords.contains(word) else { return }
        tokens.append(Token(term: Self.stem(word), word: word, position: position, isCompound: false))
        // Letter/digit runs inside a word (`2fa` → `2`, `fa`) are parts too.
        let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
        if word.utf8.allSatisfy({ $0 < 0x80 }), !word.utf8.contains(where: isDigit) || word.utf8.allSatisfy(isDigit) { return }
        var runs: [String] = []
        var run = ""
        var runIsDigit: Bool?
        for scalar in word.unicodeScalars {
            let digit = scalar.isASCII ? ("0"..."9").contains(scalar) : scalar.properties.numericType != nil
            if runIsDigit != nil && runIsDigit != digit { runs.append(run); run = "" }
            run.unicodeScalars.append(scalar)
            runIsDigit = digit
        }
        runs.append(run)
        guard runs.count > 1 else { return }
        for part in runs where !Self.stopWords.contains(part) {
            tokens.append(Token(term: Self.stem(part), word: part, position: position, isCompound: false))
        }
    }

    /// The stem of a folded word: Porter2 for a–z words, the word itself otherwise. Stems are
    /// remembered (a help center's vocabulary is small next to its word count), up to 200,000 words.
    public static func stem(_ word: String) -> String {
        if let known = stems.withLock({ $0[word] }) { return known }
        let stem = EnglishStemmer.stem(word)
        stems.withLock { if $0.count < 200_000 { $0[word] = stem } }
        return stem
    }

    private static let stems = Mutex<[String: String]>([:])
}
