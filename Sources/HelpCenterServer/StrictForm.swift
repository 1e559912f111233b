import Foundation
import HelpCenterReset

/// An `application/x-www-form-urlencoded` body (WHATWG URL Standard §5) read strictly: each field
/// named at most once, only the expected fields, each valid UTF-8 and at most
/// ``ResetPolicy/maximumFieldBytes`` bytes. Anything else is refused whole, so an array of addresses
/// (GitLab CVE-2023-7028) or a typed value (Devise CVE-2013-0233) never reaches the flow.
struct StrictForm {
    let fields: [String: String]

    struct Refused: Error {}

    /// - Parameters:
    ///   - allowed: the field names the form has; others are refused.
    ///   - ignoringOthers: skip other fields instead (a URL's query, where `?_=…` cache-busters are common).
    /// - Throws: ``Refused`` for a repeated or unexpected field, bad percent-encoding or an over-long value.
    init(body: String, allowed: Set<String>, ignoringOthers: Bool = false) throws {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if ignoringOthers, let name = Self.decode(parts[0]), !allowed.contains(name) { continue }
            guard let name = Self.decode(parts[0]), allowed.contains(name), fields[name] == nil,
                  let value = Self.decode(parts.count > 1 ? parts[1] : ""), value.utf8.count <= ResetPolicy.maximumFieldBytes else {
                throw Refused()
            }
            fields[name] = value
        }
        self.fields = fields
    }

    subscript(name: String) -> String { fields[name] ?? "" }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
