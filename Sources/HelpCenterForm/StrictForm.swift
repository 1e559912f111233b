import Foundation

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
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
