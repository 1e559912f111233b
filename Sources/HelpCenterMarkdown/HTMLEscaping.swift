/// HTML escaping, applied exactly once to every value written into a page.
public enum HTMLEscaping {
    /// Escapes `&`, `<`, `>` and `"` for text and double-quoted attribute values (HTML Living Standard §13.1).
    public static func escape(_ text: String) -> String {
        var needs = false
        for byte in text.utf8 where byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"") {
            needs = true
            break
        }
        guard needs else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for char in text.unicodeScalars {
            switch char {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(char)
            }
        }
        return out
    }
}
