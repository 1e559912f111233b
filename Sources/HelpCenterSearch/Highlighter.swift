/// Marks the words of a text whose term is one of the matched terms, and cuts a snippet around them.
///
/// Output is HTML: text escaped once, matched words wrapped in `<mark>…</mark>`. The text is split
/// into words and separators first and each piece is escaped on its own, so a mark never falls inside
/// an entity or a tag.
final class Highlighter {
    let terms: Set<String>
    /// The folded words of the index whose term matched, when the index's vocabulary is known: a word
    /// of ASCII letters only is then looked up here instead of analyzed (every word of an indexed text
    /// is in the vocabulary).
    private let plainWords: PlainWords?
    private let analyzer = Analyzer()
    /// Matching tokens per word (piece) seen in this query's texts: each distinct word is analyzed once.
    private var memo: [Substring: Int] = [:]

    /// Words of a snippet, at most.
    static let snippetWords = 28

    /// - Parameter vocabulary: term → the folded words of the index that have it (``SearchIndex``'s
    ///   vocabulary), or nil to analyze every word.
    init(terms: Set<String>, vocabulary: [String: [String]]? = nil) {
        self.terms = terms
        plainWords = vocabulary.map { vocabulary in PlainWords(terms.flatMap { vocabulary[$0] ?? [] }) }
    }

    /// A text split into pieces, with the matching tokens of each word counted once.
    struct MarkedText {
        var pieces: [(text: Substring, isWord: Bool, matches: Int)]
        /// Matching tokens in the whole text.
        var count: Int
    }

    /// Splits `text` into pieces and counts the matching tokens of each word.
    func mark(_ text: String) -> MarkedText {
        var count = 0
        let pieces = Self.pieces(of: text).map { piece in
            let matches = piece.isWord ? self.matches(piece.text) : 0
            count += matches
            return (piece.text, piece.isWord, matches)
        }
        return MarkedText(pieces: pieces, count: count)
    }

    /// How many tokens of `text` match (counted word by word).
    func count(in text: String) -> Int { mark(text).count }

    private func matches(_ word: Substring) -> Int {
        if let plainWords, let plain = plainWords.contains(word) { return plain ? 1 : 0 }
        if let known = memo[word] { return known }
        let count = analyzer.tokens(String(word)).filter { terms.contains($0.term) }.count
        memo[word] = count
        return count
    }

    /// A set of words of ASCII letters that answers most lookups from a word's first letter and length
    /// alone, without hashing it.
    struct PlainWords {
        private var words: Set<String> = []
        private var firstLetters: UInt32 = 0
        private var lengths: UInt64 = 0

        init(_ folded: [String]) {
            for word in folded where word.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) {
                words.insert(word)
                firstLetters |= 1 << UInt32(word.utf8.first! - 0x61)
                lengths |= 1 << UInt64(min(63, word.utf8.count))
            }
        }

        /// Whether `word` (any case) is in the set; nil when it is not ASCII letters only.
        func contains(_ word: Substring) -> Bool? {
            var first: UInt8 = 0
            var length = 0
            for byte in word.utf8 {
                let lower = byte | 0x20
                guard lower >= 0x61 && lower <= 0x7A else { return nil }
                if length == 0 { first = lower }
                length += 1
            }
            guard length > 0, firstLetters & (1 << UInt32(first - 0x61)) != 0, lengths & (1 << UInt64(min(63, length))) != 0 else { return false }
            return words.contains(String(decoding: word.utf8.map { $0 | 0x20 }, as: UTF8.self))
        }
    }

    /// A window of about ``snippetWords`` words of `text` around its first match (or its start),
    /// with `…` where it was cut.
    func snippet(_ text: String) -> String { snippet(mark(text)) }

    func snippet(_ text: MarkedText) -> String {
        let pieces = text.pieces
        let wordIndices = pieces.indices.filter { pieces[$0].isWord }
        guard !wordIndices.isEmpty else { return HTMLText.escape(pieces.map { String($0.text) }.joined()) }
        let firstMatch = wordIndices.firstIndex { pieces[$0].matches > 0 } ?? 0
        let startWord = max(0, min(firstMatch - 6, wordIndices.count - Self.snippetWords))
        let endWord = min(wordIndices.count, startWord + Self.snippetWords)
        let from = startWord == 0 ? 0 : wordIndices[startWord]
        let to = endWord == wordIndices.count ? pieces.count : wordIndices[endWord]
        var out = startWord > 0 ? "… " : ""
        for piece in pieces[from..<to] {
            let escaped = HTMLText.escape(piece.text, newlinesAsSpaces: true)
            out += piece.matches > 0 ? "<mark>" + escaped + "</mark>" : escaped
        }
        if to < pieces.count { out += " …" }
        return out
    }

    /// `text` split into words (letters, digits and the joiners inside them) and what lies between,
    /// by Unicode scalars (as `search.js` splits it, by code points).
    static func pieces(of text: String) -> [(text: Substring, isWord: Bool)] {
        var pieces: [(text: Substring, isWord: Bool)] = []
        let scalars = text.unicodeScalars
        let utf8 = text.utf8
        func scalar(at index: String.Index) -> (Unicode.Scalar, next: String.Index) {
            let byte = utf8[index]
            return byte < 0x80 ? (Unicode.Scalar(byte), utf8.index(after: index)) : (scalars[index], scalars.index(after: index))
        }
        var start = utf8.startIndex
        var inWord = false
        var i = start
        while i < utf8.endIndex {
            let (current, next) = scalar(at: i)
            // A combining mark continues its word, so text in decomposed form (NFD) is marked like NFC.
            let isWord = isWordScalar(current) || (inWord && (isCombining(current)
                || (isJoiner(current) && next < utf8.endIndex && isWordScalar(scalar(at: next).0))))
            if isWord != inWord, i > start {
                pieces.append((Substring(scalars[start..<i]), inWord))
                start = i
            }
            inWord = isWord
            i = next
        }
        if start < utf8.endIndex { pieces.append((Substring(scalars[start...]), inWord)) }
        return pieces
    }

    private static func isCombining(_ scalar: Unicode.Scalar) -> Bool {
        !scalar.isASCII && [.nonspacingMark, .spacingMark, .enclosingMark].contains(scalar.properties.generalCategory)
    }

    private static func isJoiner(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar { case "-", "'", "’", "/", ".", "_": true; default: false }
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}

/// HTML escaping for snippets (the same rules as the pages: `&`, `<`, `>`, `"`).
enum HTMLText {
    static func escape(_ text: some StringProtocol, newlinesAsSpaces: Bool = false) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n" where newlinesAsSpaces: out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
