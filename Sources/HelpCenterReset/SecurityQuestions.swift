import Crypto
import Foundation

/// Security questions: the pool an account picks two from, answer normalization, and the stable decoy
/// questions shown for an address without questions (unknown, or an account that never set them), so
/// the page is the same for every address (OWASP ASVS 6.3.8).
///
/// Questions come from the OWASP Security Questions Cheat Sheet's "good" kind: memorable, stable,
/// specific, not researchable from a profile.
public enum SecurityQuestions {
    public static let pool = [
        "What was the name of the street you lived on when you were ten?",
        "What was the first name of your first manager?",
        "What was the name of the town where your grandparents lived?",
        "What was the name of your first teacher?",
        "What was the model of the first phone you owned?",
        "What was the name of the first company you ordered from on TradeBridge?",
        "What was the first concert you went to?",
        "What was the name of the hotel of your first business trip?",
    ]

    /// How many questions one form asks.
    public static let count = 2

    /// An answer as it is hashed and compared: NFKC, lowercased, trimmed, runs of spaces made one.
    public static func normalizedAnswer(_ answer: String) -> String {
        answer.precomposedStringWithCompatibilityMapping.lowercased()
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Two different questions of the pool chosen by a keyed hash of `key` (the address's identifier):
    /// the same address always gets the same two.
    public static func decoys(for key: String) -> [String] {
        let digest = Array(SHA256.hash(data: Data(key.utf8)))
        let first = Int(digest[0]) % pool.count
        var second = Int(digest[1]) % (pool.count - 1)
        if second >= first { second += 1 }
        return [pool[first], pool[second]]
    }
}
