/// Marks the words of the index's texts whose term is one of a query's matched terms, counts them
/// and cuts a snippet around the first.
///
/// Works from the index's ``WordTable``: a text's words were split and analyzed when the table was
/// made, so a query only looks its words' ids up. Output is HTML: text escaped once, matched words
/// wrapped in `<mark>…</mark>`; a mark never falls inside an entity or a tag (words hold no `&`, `<`,
/// `>` or `"`).
struct Highlighter {
    let table: WordTable
    /// Matching tokens per word id, for the words with any.
    private var counts: [UInt32: Int] = [:]
    /// A bit for each word id in `counts`, modulo 4,096: most words are passed over without hashing.
    private var filter = [UInt64](repeating: 0, count: 64)

    /// Words of a snippet, at most.
    static let snippetWords = 28

    init(terms: Set<String>, table: WordTable) {
        self.table = table
        for term in terms {
            for id in table.idsByTerm[term] ?? [] {
                counts[id, default: 0] += 1
                filter[Int(id >> 6) & 63] |= 1 << UInt64(id & 63)
            }
        }
    }

    /// Matching tokens of the word with this id.
    func matches(_ id: UInt32) -> Int {
        filter[Int(id >> 6) & 63] & (1 << UInt64(id & 63)) == 0 ? 0 : counts[id] ?? 0
    }

    /// The matching tokens of text `text` (``WordTable/Text``) of a document, and the position among
    /// its words of the first word with any.
    func count(document: Int, text: Int) -> (count: Int, firstMatch: Int?) {
        let words = table.documents[document]
        var count = 0
        var first: Int?
        for (position, id) in words.ids[words.range(of: text)].enumerated() {
            let found = matches(id)
            guard found > 0 else { continue }
            count += found
            if first == nil { first = position }
        }
        return (count, first)
    }

    /// A window of about ``snippetWords`` words of `source` (the text numbered `text` of a document)
    /// around its first match (or its start), with `…` where it was cut: matched words in `<mark>`;
    /// `&`, `<`, `>` and `"` escaped and line breaks as spaces in the rest.
    func snippet(_ source: String, document: Int, text: Int, firstMatch: Int? = nil) -> String {
        let words = table.documents[document]
        let range = words.range(of: text)
        guard !range.isEmpty else { return HTMLText.escape(source) }
        let firstMatch = firstMatch ?? count(document: document, text: text).firstMatch
        let (startWord, endWord) = Self.window(words: range.count, firstMatch: firstMatch ?? 0)
        let first = range.lowerBound + startWord, past = range.lowerBound + endWord
        var source = source
        return source.withUTF8 { bytes in
            let from = startWord == 0 ? 0 : Int(words.starts[first])
            let to = endWord == range.count ? bytes.count : Int(words.starts[past])
            // At most: every byte escaped (`&quot;`), every word marked, and the two ellipses.
            let capacity = (to - from) * 6 + (past - first) * 13 + 8
            return String(unsafeUninitializedCapacity: capacity) { buffer in
                var out = ByteWriter(buffer: buffer)
                if startWord > 0 { out.write("… ") }
                var at = from
                for index in first..<past {
                    let id = words.ids[index]
                    let start = Int(words.starts[index]), end = start + Int(table.lengths[Int(id)])
                    out.writeEscaped(UnsafeBufferPointer(rebasing: bytes[at..<start]))
                    let marked = matches(id) > 0
                    if marked { out.write("<mark>") }
                    out.write(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                    if marked { out.write("</mark>") }
                    at = end
                }
                out.writeEscaped(UnsafeBufferPointer(rebasing: bytes[at..<to]))
                if endWord < range.count { out.write(" …") }
                return out.count
            }
        }
    }

    /// Writes into a buffer that is known to be large enough.
    private struct ByteWriter {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        var count = 0

        mutating func write(_ text: StaticString) {
            write(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            (buffer.baseAddress! + count).update(from: base, count: bytes.count)
            count += bytes.count
        }

        /// UTF-8 text between words as ``HTMLText/escape(_:)`` writes it, with line breaks as spaces
        /// (no byte of a multi-byte character is ASCII, so bytes can be escaped one by one).
        mutating func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "&"): write("&amp;")
                case UInt8(ascii: "<"): write("&lt;")
                case UInt8(ascii: ">"): write("&gt;")
                case UInt8(ascii: "\""): write("&quot;")
                case UInt8(ascii: "\n"): buffer[count] = UInt8(ascii: " "); count += 1
                default: buffer[count] = byte; count += 1
                }
            }
        }
    }

    /// The first and past-the-last word of the snippet: ``snippetWords`` words starting 6 before the
    /// first match, moved back to fit before the end.
    static func window(words: Int, firstMatch: Int) -> (start: Int, end: Int) {
        let start = max(0, min(firstMatch - 6, words - snippetWords))
        return (start, min(words, start + snippetWords))
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
    static func escape(_ text: some StringProtocol) -> String {
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
