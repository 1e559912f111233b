import Foundation

/// A marketplace account that the walkthrough can reset.
public struct Account: Sendable, Equatable, Codable {
    public var id: String
    /// The address as registered; messages go here, never to what a form submitted.
    public var email: String
    /// A verified phone number in E.164 form (`+4915112345678`), or nil when none is bound.
    public var phone: String?
    public var name: String
    /// The two security questions, when the account has set them.
    public var questions: [String]

    public init(id: String, email: String, phone: String?, name: String, questions: [String]) {
        self.id = id
        self.email = email
        self.phone = phone
        self.name = name
        self.questions = questions
    }

    /// The lookup form of an email address: Unicode NFKC, trimmed, lowercased (so `Buyer@Example.com`
    /// finds `buyer@example.com`; Django CVE-2019-19844 is why messages still go to the stored address).
    public static func normalizedEmail(_ email: String) -> String {
        email.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Whether `email` looks like an address: one `@`, something on both sides, a dot in the domain,
    /// no spaces, at most 254 bytes.
    public static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return email.utf8.count <= ResetPolicy.maximumEmailBytes && parts.count == 2 && !parts[0].isEmpty
            && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !email.contains(where: { $0.isWhitespace || $0.isNewline })
    }

    /// `b•••@example.com` or `+49•••••78`: enough for a person to recognise, for logs and messages.
    public static func masked(_ destination: String) -> String {
        if let at = destination.firstIndex(of: "@") {
            return String(destination.prefix(1)) + "•••" + destination[at...]
        }
        return String(destination.prefix(3)) + "•••••" + String(destination.suffix(2))
    }
}
