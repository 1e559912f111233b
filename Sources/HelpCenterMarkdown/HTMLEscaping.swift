/// HTML escaping, applied exactly once to every value written into a page.
public enum HTMLEscaping {
    /// Escapes `&`, `<`, `>` and `"` for text and double-quoted attribute values (HTML Living Standard
    /// §13.1), and `'` as `&#39;` too when `apostrophes` is set (single-quoted attribute values).
    /// Works on UTF-8 bytes, so a character followed by a combining mark is escaped as well; returns
    /// `text` itself when there is nothing to escape.
    public static func escape(_ text: String, apostrophes: Bool = false) -> String {
        func replacement(_ byte: UInt8) -> String? {
            switch byte {
            case UInt8(ascii: "&"): return "&amp;"
            case UInt8(ascii: "<"): return "&lt;"
            case UInt8(ascii: ">"): return "&gt;"
            case UInt8(ascii: "\""): return "&quot;"
            case UInt8(ascii: "'") where apostrophes: return "&#39;"
            default: return nil
            }
        }
        let bytes = text.utf8
        guard bytes.contains(where: { replacement($0) != nil }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 32)
        for byte in bytes {
            if let replacement = replacement(byte) { out += replacement.utf8 } else { out.append(byte) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
