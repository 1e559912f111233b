/// ``SearchResponse`` as JSON without `JSONEncoder`: the same bytes `JSONEncoder` writes with
/// `.sortedKeys` and `.withoutEscapingSlashes` (a test compares them), written straight into one
/// buffer. `/api/search` answers with it; encoding through `Codable` was a fifth of a search's time.
extension SearchResponse {
    /// The response as compact JSON (RFC 8259): keys sorted, strings escaped as `JSONEncoder` escapes
    /// them (`"`, `\`, and control characters; `/` and non-ASCII as they are), numbers as Swift prints
    /// them without a trailing `.0`.
    public func json() -> [UInt8] {
        let out = JSONBuffer()
        out.object {
            out.key("categories", first: true)
            out.array(categories) { category in
                out.object {
                    out.key("count", first: true); out.number(category.count)
                    out.key("title"); out.string(category.title)
                    out.key("url"); out.string(category.url)
                }
            }
            out.key("matchedAnyTerm"); out.raw(matchedAnyTerm ? "true" : "false")
            out.key("query"); out.string(query)
            out.key("results")
            out.array(results) { result in
                out.object {
                    out.key("categories", first: true); out.array(result.categories) { out.string($0) }
                    out.key("score"); out.number(result.score)
                    out.key("snippet"); out.string(result.snippet)
                    out.key("subResults")
                    out.array(result.subResults) { sub in
                        out.object {
                            out.key("heading", first: true); out.string(sub.heading)
                            out.key("snippet"); out.string(sub.snippet)
                            out.key("url"); out.string(sub.url)
                        }
                    }
                    out.key("title"); out.string(result.title)
                    out.key("url"); out.string(result.url)
                }
            }
            out.key("total"); out.number(total)
        }
        return out.bytes
    }
}

/// An output buffer (a class, so that the nested closures that write objects and arrays share it).
private final class JSONBuffer {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(8192) }

    func raw(_ text: String) { bytes += text.utf8 }

    func object(_ body: () -> Void) {
        bytes.append(UInt8(ascii: "{"))
        body()
        bytes.append(UInt8(ascii: "}"))
    }

    func array<T>(_ items: [T], _ body: (T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            body(item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    func key(_ name: String, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    func number(_ value: Int) { raw(String(value)) }

    func number(_ value: Double) {
        let text = "\(value)"
        raw(text.hasSuffix(".0") ? String(text.dropLast(2)) : text)
    }

    func string(_ text: String) {
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(UInt8(ascii: "\""))
            bytes += text.utf8
            bytes.append(UInt8(ascii: "\""))
            return
        }
        // Built in a local array and appended once: each access to the class's buffer is checked for exclusivity.
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x00..<0x20:
                out += Array("\\u00".utf8) + [Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        bytes += out
    }

    private static let hex = Array("0123456789abcdef".utf8)
}
