/// Marks the words of a text whose term is one of the matched terms, and cuts a snippet around them.
///
/// Output is HTML: text escaped once, matched words wrapped in `<mark>…</mark>`. The text is split
/// into words and separators first and each piece is escaped on its own, so a mark never falls inside
/// an entity or a tag.
final class Highlighter {
    let terms: Set<String>
    private let analyzer = Analyzer()
    /// Matching tokens per word (piece) seen in this query's texts: each distinct word is analyzed once.
    private var memo: [String: Int] = [:]

    /// Words of a snippet, at most.
    static let snippetWords = 28

    init(terms: Set<String>) {
        self.terms = terms
    }

    /// How many tokens of `text` match (counted word by word).
    func count(in text: String) -> Int {
        Self.pieces(of: text).reduce(0) { $0 + ($1.isWord ? matches($1.text) : 0) }
    }

    private func matches(_ word: String) -> Int {
        if let known = memo[word] { return known }
        let count = analyzer.tokens(word).filter { terms.contains($0.term) }.count
        memo[word] = count
        return count
    }

    /// A window of about ``snippetWords`` words of `text` around its first match (or its start),
    /// with `…` where it was cut.
    func snippet(_ text: String) -> String {
        let pieces = Self.pieces(of: text)
        let wordIndices = pieces.indices.filter { pieces[$0].isWord }
        guard !wordIndices.isEmpty else { return HTMLText.escape(text) }
        let matches = wordIndices.filter { isMatch(pieces[$0].text) }
        let firstMatch = matches.first.flatMap { wordIndices.firstIndex(of: $0) } ?? 0
        let startWord = max(0, min(firstMatch - 6, wordIndices.count - Self.snippetWords))
        let endWord = min(wordIndices.count, startWord + Self.snippetWords)
        let from = startWord == 0 ? 0 : wordIndices[startWord]
        let to = endWord == wordIndices.count ? pieces.count : wordIndices[endWord]
        var out = startWord > 0 ? "… " : ""
        for piece in pieces[from..<to] {
            let escaped = HTMLText.escape(piece.text.replacingNewlines())
            out += piece.isWord && isMatch(piece.text) ? "<mark>" + escaped + "</mark>" : escaped
        }
        if to < pieces.count { out += " …" }
        return out
    }

    private func isMatch(_ word: String) -> Bool { matches(word) > 0 }

    /// `text` split into words (letters, digits and the joiners inside them) and what lies between,
    /// by Unicode scalars (as `search.js` splits it, by code points).
    static func pieces(of text: String) -> [(text: String, isWord: Bool)] {
        var pieces: [(text: String, isWord: Bool)] = []
        var current = String.UnicodeScalarView()
        var inWord = false
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let joiner = "-'’/._".unicodeScalars.contains(scalar) && inWord && index + 1 < scalars.count && Self.isWordScalar(scalars[index + 1])
            let isWordScalar = Self.isWordScalar(scalar) || joiner
            if isWordScalar != inWord, !current.isEmpty {
                pieces.append((String(current), inWord))
                current = String.UnicodeScalarView()
            }
            inWord = isWordScalar
            current.append(scalar)
        }
        if !current.isEmpty { pieces.append((String(current), inWord)) }
        return pieces
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}

/// HTML escaping for snippets (the same rules as the pages: `&`, `<`, `>`, `"`).
enum HTMLText {
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

private extension String {
    func replacingNewlines() -> String { String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\n" ? " " : $0 })) }
}
