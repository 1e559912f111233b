/// An `application/x-www-form-urlencoded` body (WHATWG URL Standard §5) read strictly: each field
/// named at most once, only the expected fields, each valid UTF-8 and at most `maximumValueBytes`
/// bytes. Anything else is refused whole, so an array of addresses (GitLab CVE-2023-7028) or a typed
/// value (Devise CVE-2013-0233) never reaches the flow.
///
/// A module of its own, without dependencies, so that the fuzz harness (`Fuzz/`) builds it alone; the
/// server reads forms and query strings with it, its limit being `ResetPolicy.maximumFieldBytes`.
public struct StrictForm: Sendable {
    public let fields: [String: String]

    public struct Refused: Error {}

    /// - Parameters:
    ///   - allowed: the field names the form has; others are refused.
    ///   - ignoringOthers: skip other fields instead (a URL's query, where `?_=…` cache-busters are common).
    ///   - maximumValueBytes: the longest accepted value, in UTF-8 bytes.
    /// - Throws: ``Refused`` for a repeated or unexpected field, bad percent-encoding or an over-long value.
    public init(body: String, allowed: Set<String>, ignoringOthers: Bool = false, maximumValueBytes: Int) throws {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if ignoringOthers, let name = Self.decode(parts[0]), !allowed.contains(name) { continue }
            guard let name = Self.decode(parts[0]), allowed.contains(name), fields[name] == nil,
                  let value = Self.decode(parts.count > 1 ? parts[1] : ""), value.utf8.count <= maximumValueBytes else {
                throw Refused()
            }
            fields[name] = value
        }
        self.fields = fields
    }

    public subscript(name: String) -> String { fields[name] ?? "" }

    private static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var rest = text.utf8.makeIterator()
        while let byte = rest.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = rest.next().flatMap(hexDigit), let low = rest.next().flatMap(hexDigit) else { return nil }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
