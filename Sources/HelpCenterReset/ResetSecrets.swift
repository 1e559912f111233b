import Crypto
import Foundation

/// The server-side keys of the reset flow, derived from one 256-bit master secret with HKDF-SHA256
/// (RFC 5869), one key per purpose, so that no key serves two purposes.
///
/// The master secret lives in a file beside the database (never in it), created on first start with
/// permissions 0600. Replacing the file invalidates every outstanding code, flow and challenge.
public struct ResetSecrets: Sendable {
    /// Key of the keyed hashes of verification codes (the "pepper", NIST SP 800-63B §3.1.1.2).
    public var codeKey: SymmetricKey { SymmetricKey(data: keys[0]) }
    /// Key binding anti-CSRF tokens to the flow cookie.
    public var csrfKey: SymmetricKey { SymmetricKey(data: keys[1]) }
    /// Key of the keyed hashes that stand for email addresses and client IPs in logs and rate limits.
    public var identifierKey: SymmetricKey { SymmetricKey(data: keys[2]) }
    /// The derived keys' bytes (`SymmetricKey` is not `Sendable` in swift-crypto 3).
    private let keys: [Data]
    /// The two ALTCHA secrets (challenge signature, key signature), as hex strings.
    public let proofOfWorkSignature: String
    public let proofOfWorkKeySignature: String

    /// Derives the keys from `master` (32 bytes).
    public init(master: SymmetricKey) {
        func derive(_ purpose: String) -> Data {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("helpcenter reset \(purpose)".utf8), outputByteCount: 32)
                .withUnsafeBytes { Data($0) }
        }
        keys = ["code", "csrf", "identifier"].map(derive)
        proofOfWorkSignature = derive("pow signature").hex
        proofOfWorkKeySignature = derive("pow key signature").hex
    }

    /// Reads the master secret from `path` (64 hex characters), or creates the file with a new random
    /// secret (mode 0600) when it does not exist.
    /// - Throws: `ResetSecrets.Failure` when the file exists but does not hold 64 hex characters, or cannot be written.
    public static func loadOrCreate(at path: String) throws -> ResetSecrets {
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            guard let bytes = ProofOfWork.bytes(hex: text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()), bytes.count == 32 else {
                throw Failure(message: "\(path): error: the secret file must hold 64 hex characters; delete it to create a new one (outstanding reset codes then stop working)")
            }
            return ResetSecrets(master: SymmetricKey(data: Data(bytes)))
        }
        let master = SymmetricKey(size: .bits256)
        let hex = master.withUnsafeBytes { Data($0).hex }
        guard FileManager.default.createFile(atPath: path, contents: Data((hex + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Failure(message: "\(path): error: cannot write the secret file; check that its folder exists and is writable")
        }
        return ResetSecrets(master: master)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// HMAC-SHA256 of `value` under `key`, as lowercase hex.
    static func mac(_ value: String, key: SymmetricKey) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key)).hex
    }

    /// A keyed hash standing for an identifier (normalized email address, IP address) in logs and counters.
    public func identifier(_ value: String) -> String { String(Self.mac(value, key: identifierKey).prefix(32)) }
}

extension Data {
    /// Lowercase hex.
    var hex: String { ProofOfWork.hex(self) }
}

/// Random tokens (ASVS 11.5.1: ≥ 128 bits from a CSPRNG).
enum RandomToken {
    /// 32 random bytes, base64url without padding (43 characters).
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// SHA-256 of a token, lowercase hex: what the database stores in place of the token.
    static func digest(_ token: String) -> String { Data(SHA256.hash(data: Data(token.utf8))).hex }
}
