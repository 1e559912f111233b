import Crypto
import Foundation

/// The HMAC-SHA256 signature (RFC 2104) the help center puts on its requests to peers (the SMS
/// webhook, the account directory): lowercase hex, keyed with the shared secret's UTF-8 bytes.
public enum RequestSignature {
    /// The header with the request's Unix time in seconds.
    public static let timestampHeader = "X-HelpCenter-Timestamp"
    /// The header with a random value per request, which the peer accepts once (account directory).
    public static let nonceHeader = "X-HelpCenter-Nonce"
    /// The header with `v1=` and the signature.
    public static let signatureHeader = "X-HelpCenter-Signature"

    /// Lowercase hex HMAC-SHA256 of `message` keyed with `secret`.
    public static func hex(secret: String, message: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }
}
