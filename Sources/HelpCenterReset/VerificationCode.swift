import Crypto
import Foundation

/// Six-digit verification codes: made with a CSPRNG (ASVS 6.5.3), kept only as a keyed hash bound to
/// their flow (ASVS 6.5.2, 6.6.2), and read leniently from what a person types.
public enum VerificationCode {
    /// A new code: ``ResetPolicy/codeDigits`` uniform random digits, zero-padded (leading zeros count).
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let limit = (0..<ResetPolicy.codeDigits).reduce(1) { value, _ in value * 10 }
        let number = UInt32.random(in: 0..<UInt32(limit), using: &generator)
        let digits = String(number)
        return String(repeating: "0", count: ResetPolicy.codeDigits - digits.count) + digits
    }

    /// The code in `input` (spaces and dashes removed), or nil unless what is left is exactly
    /// ``ResetPolicy/codeDigits`` ASCII digits; input over 16 bytes is refused whole.
    public static func parse(_ input: String) -> String? {
        guard input.utf8.count <= 16 else { return nil }
        let digits = input.unicodeScalars.filter { $0 != " " && $0 != "-" }
        guard digits.count == ResetPolicy.codeDigits, digits.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return String(String.UnicodeScalarView(digits))
    }

    /// HMAC-SHA256(key, flow ‖ ":" ‖ code), lowercase hex: what the database stores.
    static func mac(_ code: String, flow: String, key: SymmetricKey) -> String {
        ResetSecrets.mac(flow + ":" + code, key: key)
    }
}
