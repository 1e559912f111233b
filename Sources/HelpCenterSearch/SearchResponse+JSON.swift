/// ``SearchResponse`` as JSON without `JSONEncoder`: the same bytes `JSONEncoder` writes with
/// `.sortedKeys` and `.withoutEscapingSlashes` (a test compares them), written straight into one
/// buffer. `/api/search` answers with it; encoding through `Codable` was a fifth of a search's time.
extension SearchResponse {
    /// The response as compact JSON (RFC 8259): keys sorted, strings escaped as `JSONEncoder` escapes
    /// them (`"`, `\`, and control characters; `/` and non-ASCII as they are), numbers as Swift prints
    /// them without a trailing `.0`.
    public func json() -> [UInt8] {
        var out = JSONWriter()
        out.raw("{\"categories\":[")
        for (index, category) in categories.enumerated() {
            out.raw(index == 0 ? "{\"count\":" : ",{\"count\":")
            out.number(category.count)
            out.raw(",\"title\":")
            out.string(category.title)
            out.raw(",\"url\":")
            out.string(category.url)
            out.raw("}")
        }
        out.raw(matchedAnyTerm ? "],\"matchedAnyTerm\":true,\"query\":" : "],\"matchedAnyTerm\":false,\"query\":")
        out.string(query)
        out.raw(",\"results\":[")
        for (index, result) in results.enumerated() {
            out.raw(index == 0 ? "{\"categories\":[" : ",{\"categories\":[")
            for (index, category) in result.categories.enumerated() {
                if index > 0 { out.raw(",") }
                out.string(category)
            }
            out.raw("],\"score\":")
            out.number(result.score)
            out.raw(",\"snippet\":")
            out.string(result.snippet)
            out.raw(",\"subResults\":[")
            for (index, sub) in result.subResults.enumerated() {
                out.raw(index == 0 ? "{\"heading\":" : ",{\"heading\":")
                out.string(sub.heading)
                out.raw(",\"snippet\":")
                out.string(sub.snippet)
                out.raw(",\"url\":")
                out.string(sub.url)
                out.raw("}")
            }
            out.raw("],\"title\":")
            out.string(result.title)
            out.raw(",\"url\":")
            out.string(result.url)
            out.raw("}")
        }
        out.raw("],\"total\":")
        out.number(total)
        out.raw("}")
        return out.bytes
    }
}

/// An output buffer of JSON text: punctuation and keys written as they are, strings escaped.
private struct JSONWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(16384) }

    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func number(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    mutating func number(_ value: Double) {
        let text = "\(value)"
        bytes.append(contentsOf: (text.hasSuffix(".0") ? text.dropLast(2) : text[...]).utf8)
    }

    /// `text` in quotes; runs that need no escape are copied whole, found 8 bytes at a time.
    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { source in
            bytes.reserveCapacity(bytes.count + source.count + 2)
            bytes.append(UInt8(ascii: "\""))
            var run = 0, index = 0
            while index < source.count {
                if index + 8 <= source.count,
                   !Self.mayNeedEscape(UnsafeRawPointer(source.baseAddress! + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                    continue
                }
                let byte = source[index]
                index += 1
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[run..<(index - 1)]))
                switch byte {
                case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
                case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
                case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                default: bytes += Array("\\u00".utf8) + [Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]]
                }
                run = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[run...]))
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// Whether any of the 8 bytes of `word` may be `"`, `\` or a control character (no false
    /// negatives: "Bit Twiddling Hacks", bytes less than n and bytes equal to n).
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let hasControl = (word &- ones &* 0x20) & ~word & highs != 0
        return hasControl || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
    }

    private static let hex = Array("0123456789abcdef".utf8)
}
