/// The URL policy for links and images: which destinations may reach a page, and how they are encoded.
///
/// Allowed: relative references (paths, `?query`, `#fragment`, `//host` is treated as http(s)) and the
/// schemes `http`, `https`, `mailto` and `tel`. Everything else (`javascript:`, `vbscript:`, `data:`,
/// `file:`, …) is refused, however it is written: any case, with entities (already decoded by the
/// parser), percent-encoding, or tabs, newlines and control characters inside, which browsers ignore
/// (WHATWG URL Standard, "remove all ASCII tab or newline").
public enum SafeURL {
    public static let allowedSchemes: Set<String> = ["http", "https", "mailto", "tel"]

    /// Whether `url` may be written into an `href` or `src`.
    public static func isAllowed(_ url: String) -> Bool {
        guard let scheme = scheme(of: url) else { return true }
        return allowedSchemes.contains(scheme)
    }

    /// The lowercased scheme a browser would see in `url`, or nil for a relative reference.
    public static func scheme(of url: String) -> String? {
        var text = url
        for _ in 0..<3 {
            let decoded = percentDecoded(text)
            if decoded == text { break }
            text = decoded
        }
        var scheme = ""
        for scalar in text.unicodeScalars {
            if scalar.value <= 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) { continue }
            if scalar == ":" { return scheme.lowercased() }
            if scalar == "/" || scalar == "?" || scalar == "#" { return nil }
            scheme.unicodeScalars.append(scalar)
        }
        return nil
    }

    /// Percent-encodes what may not stand raw in an attribute URL (spaces, non-ASCII bytes, quotes,
    /// angle brackets, …), keeps existing `%XX` escapes as they are (so a URL is encoded once), and
    /// HTML-escapes `&` and `'`. Follows libcmark's `houdini_escape_href`.
    public static func encodeForAttribute(_ url: String) -> String {
        var out = ""
        out.reserveCapacity(url.utf8.count)
        for byte in url.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out += "&amp;"
            case UInt8(ascii: "'"): out += "&#x27;"
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                if safePunctuation.contains(byte) {
                    out.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    out += "%" + hex(byte)
                }
            }
        }
        return out
    }

    private static let safePunctuation: Set<UInt8> = Set("-_.!~*();/?:@=+$,%#".utf8)

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".unicodeScalars)
        return String(String.UnicodeScalarView([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]))
    }

    /// Decodes `%XX` escapes; invalid escapes and invalid UTF-8 are kept as they are.
    public static func percentDecoded(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var i = 0
        while i < source.count {
            if source[i] == UInt8(ascii: "%"), i + 2 < source.count, let high = hexValue(source[i + 1]), let low = hexValue(source[i + 2]) {
                bytes.append(high << 4 | low)
                i += 3
            } else {
                bytes.append(source[i])
                i += 1
            }
        }
        return String(validating: bytes, as: UTF8.self) ?? text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
