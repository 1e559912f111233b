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
        struct Piece {
            var text: Substring
            var isWord: Bool
            var matches: Int
        }
        var pieces: [Piece]
        /// Matching tokens in the whole text.
        var count: Int
    }

    /// Splits `text` into pieces and counts the matching tokens of each word.
    func mark(_ text: String) -> MarkedText {
        var count = 0
        let pieces = Self.pieces(of: text).map { piece in
            let matches = piece.isWord ? self.matches(piece.text) : 0
            count += matches
            return MarkedText.Piece(text: piece.text, isWord: piece.isWord, matches: matches)
        }
        return MarkedText(pieces: pieces, count: count)
    }

    /// How many tokens of `text` match (counted word by word, as ``mark(_:)`` counts them).
    func count(in text: String) -> Int { scan(text)?.count ?? mark(text).count }

    /// The words of an ASCII text, found by one pass over its bytes without making its pieces: where
    /// each starts, which is the first to match, and how many match. This ranks every matching
    /// section of every result, so it is most of a search's work; the snippet of a section then
    /// reuses it. Nil for text that is not ASCII (``mark(_:)`` handles it).
    struct Scan {
        var starts: [Int] = []
        var firstMatch: Int?
        var count = 0
    }

    func scan(_ text: String) -> Scan? {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var scan = Scan()
            var i = 0
            while i < bytes.count {
                guard Self.isAlphanumeric(bytes[i]) else { i += 1; continue }
                let start = i
                i = Self.wordEnd(bytes, from: i)
                let matches = matches(UnsafeBufferPointer(rebasing: bytes[start..<i]))
                if matches > 0 && scan.firstMatch == nil { scan.firstMatch = scan.starts.count }
                scan.count += matches
                scan.starts.append(start)
            }
            return scan
        }
    }

    /// The end of the ASCII word starting at `start`: letters and digits, and the joiners `-'/._`
    /// between them (as ``pieces(of:)`` splits words).
    private static func wordEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        while i < bytes.count, isAlphanumeric(bytes[i]) || (isASCIIJoiner(bytes[i]) && i + 1 < bytes.count && isAlphanumeric(bytes[i + 1])) {
            i += 1
        }
        return i
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
    }

    private static func isASCIIJoiner(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
    }

    /// ``matches(_:)`` for an ASCII word given as bytes: letters-only words are looked up in the
    /// vocabulary's plain words without making a string unless their first letter and length fit.
    private func matches(_ word: UnsafeBufferPointer<UInt8>) -> Int {
        if let plainWords, let plain = plainWords.contains(bytes: word) { return plain ? 1 : 0 }
        return matches(Substring(String(decoding: word, as: UTF8.self)))
    }

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
        func contains(_ word: Substring) -> Bool? { contains(bytes: word.utf8) }

        /// ``contains(_:)`` for a word's UTF-8 bytes.
        func contains(bytes word: some Collection<UInt8>) -> Bool? {
            var first: UInt8 = 0
            var length = 0
            for byte in word {
                let lower = byte | 0x20
                guard lower >= 0x61 && lower <= 0x7A else { return nil }
                if length == 0 { first = lower }
                length += 1
            }
            guard length > 0, firstLetters & (1 << UInt32(first - 0x61)) != 0, lengths & (1 << UInt64(min(63, length))) != 0 else { return false }
            return words.contains(String(decoding: word.map { $0 | 0x20 }, as: UTF8.self))
        }
    }

    /// A window of about ``snippetWords`` words of `text` around its first match (or its start),
    /// with `…` where it was cut. ASCII text is scanned as bytes for its words and first match, and
    /// only the window is written (a section can be long; the snippet is 28 words), in the same pass
    /// that marks it.
    func snippet(_ text: String, scan: Scan? = nil) -> String {
        guard let scan = scan ?? self.scan(text), !scan.starts.isEmpty else { return snippet(mark(text)) }
        let (startWord, endWord) = Self.window(words: scan.starts.count, firstMatch: scan.firstMatch ?? 0)
        var text = text
        return text.withUTF8 { bytes in
            let from = startWord == 0 ? 0 : scan.starts[startWord], to = endWord == scan.starts.count ? bytes.count : scan.starts[endWord]
            return (startWord > 0 ? "… " : "") + renderASCII(UnsafeBufferPointer(rebasing: bytes[from..<to])) + (endWord < scan.starts.count ? " …" : "")
        }
    }

    /// ASCII text as ``snippet(_:)-(MarkedText)`` writes its pieces, in one pass over its bytes: matched words in
    /// `<mark>`, `&`, `<`, `>` and `"` escaped, line breaks as spaces.
    private func renderASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            guard Self.isAlphanumeric(byte) else {
                switch byte {
                case UInt8(ascii: "&"): out += Array("&amp;".utf8)
                case UInt8(ascii: "<"): out += Array("&lt;".utf8)
                case UInt8(ascii: ">"): out += Array("&gt;".utf8)
                case UInt8(ascii: "\""): out += Array("&quot;".utf8)
                case UInt8(ascii: "\n"): out.append(UInt8(ascii: " "))
                default: out.append(byte)
                }
                i += 1
                continue
            }
            let start = i
            i = Self.wordEnd(bytes, from: i)
            let word = UnsafeBufferPointer(rebasing: bytes[start..<i])
            if matches(word) > 0 {
                out += Array("<mark>".utf8)
                out += word
                out += Array("</mark>".utf8)
            } else {
                out += word
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The first and past-the-last word of the snippet: ``snippetWords`` words starting 6 before the
    /// first match, moved back to fit before the end.
    static func window(words: Int, firstMatch: Int) -> (start: Int, end: Int) {
        let start = max(0, min(firstMatch - 6, words - snippetWords))
        return (start, min(words, start + snippetWords))
    }

    func snippet(_ text: MarkedText) -> String {
        let pieces = text.pieces
        let wordIndices = pieces.indices.filter { pieces[$0].isWord }
        guard !wordIndices.isEmpty else { return HTMLText.escape(pieces.map { String($0.text) }.joined()) }
        let (startWord, endWord) = Self.window(words: wordIndices.count, firstMatch: wordIndices.firstIndex { pieces[$0].matches > 0 } ?? 0)
        let from = startWord == 0 ? 0 : wordIndices[startWord]
        let to = endWord == wordIndices.count ? pieces.count : wordIndices[endWord]
        var out = startWord > 0 ? "… " : ""
        for piece in pieces[from..<to] {
            let escaped = HTMLText.escape(piece.text, newlinesAsSpaces: true)
            out += piece.matches > 0 ? "<mark>" + escaped + "</mark>" : escaped
        }
        return out + (to < pieces.count ? " …" : "")
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
