import CArgon2
import Foundation

/// Argon2id (RFC 9106) with the OWASP Password Storage Cheat Sheet parameters: m = 19 MiB (19_456 KiB), t = 2, p = 1, 16-byte random salt, 32-byte tag, PHC string format ($argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>).
///
/// This is the only file that calls the system libargon2. Secrets are normalised with Unicode NFKC
/// before hashing and verifying (NIST SP 800-63B §3.1.1.2), so a password typed with a composed "é"
/// matches one stored from "e" + U+0301.
public struct PasswordHasher: Sendable {
    /// Salt length in bytes (NIST asks for at least 32 bits; RFC 9106 recommends 16 bytes).
    public static let saltLength = 16
    /// Tag (hash output) length in bytes.
    public static let tagLength = 32

    /// Refuse to verify stored strings whose cost is absurd (a corrupted or hostile row must not
    /// make the server allocate gigabytes or spin for minutes). Far above anything this type writes.
    static let maximumVerifyMemoryKiB: UInt64 = 1_048_576  // 1 GiB
    static let maximumVerifyIterations: UInt64 = 100
    static let maximumVerifyParallelism: UInt64 = 64
    static let maximumEncodedLength = 512

    public let memoryKiB: UInt32
    public let iterations: UInt32
    public let parallelism: UInt32

    public init(memoryKiB: UInt32 = 19_456, iterations: UInt32 = 2, parallelism: UInt32 = 1) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }

    /// An error code returned by libargon2 (`Argon2_ErrorCodes`).
    public struct Failure: Error, CustomStringConvertible {
        public let code: Int32

        public init(code: Int32) {
            self.code = code
        }

        public var description: String {
            let message = argon2_error_message(code).map { String(cString: $0) } ?? "unknown error"
            return "Argon2 error \(code): \(message)"
        }
    }

    /// Hashes `secret` (after NFKC) with a fresh random salt and returns the PHC string.
    public func hash(_ secret: String) throws -> String {
        let password = Array(Self.normalize(secret).utf8)

        var generator = SystemRandomNumberGenerator()
        var salt = [UInt8](repeating: 0, count: Self.saltLength)
        for index in salt.indices {
            salt[index] = UInt8.random(in: .min ... .max, using: &generator)
        }

        let encodedLength = argon2_encodedlen(
            iterations, memoryKiB, parallelism,
            UInt32(Self.saltLength), UInt32(Self.tagLength), Argon2_id
        ) + 1
        var encoded = [CChar](repeating: 0, count: encodedLength)

        let code = password.withUnsafeBytes { passwordBytes in
            salt.withUnsafeBytes { saltBytes in
                encoded.withUnsafeMutableBufferPointer { output in
                    argon2id_hash_encoded(
                        iterations, memoryKiB, parallelism,
                        passwordBytes.baseAddress, passwordBytes.count,
                        saltBytes.baseAddress, saltBytes.count,
                        Self.tagLength,
                        output.baseAddress, output.count
                    )
                }
            }
        }
        guard code == 0 else {  // ARGON2_OK
            throw Failure(code: code)
        }
        let terminator = encoded.firstIndex(of: 0) ?? encoded.endIndex
        return String(decoding: encoded[..<terminator].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `secret` (after NFKC) matches the PHC string `encoded`. Returns false for a wrong
    /// password and for anything malformed or not Argon2id; never throws. The comparison of tags
    /// inside libargon2 is constant time.
    public func verify(_ secret: String, against encoded: String) -> Bool {
        guard Self.isAcceptableEncoding(encoded) else { return false }
        let password = Array(Self.normalize(secret).utf8)
        let code = encoded.withCString { encodedPointer in
            password.withUnsafeBytes { passwordBytes in
                argon2id_verify(encodedPointer, passwordBytes.baseAddress, passwordBytes.count)
            }
        }
        return code == 0  // ARGON2_OK; ARGON2_VERIFY_MISMATCH and decoding errors are false
    }

    /// Unicode NFKC, as NIST SP 800-63B §3.1.1.2 asks before hashing.
    static func normalize(_ secret: String) -> String {
        secret.precomposedStringWithCompatibilityMapping
    }

    /// A cheap pre-check before handing a stored string to libargon2: Argon2id, no NUL bytes, a
    /// sane length and bounded cost parameters.
    static func isAcceptableEncoding(_ encoded: String) -> Bool {
        guard encoded.hasPrefix("$argon2id$"),
              encoded.utf8.count <= maximumEncodedLength,
              !encoded.utf8.contains(0)
        else { return false }
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
        // "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
        guard fields.count == 6 else { return false }
        var limits: [Substring: UInt64] = [
            "m": maximumVerifyMemoryKiB, "t": maximumVerifyIterations, "p": maximumVerifyParallelism,
        ]
        for parameter in fields[3].split(separator: ",") {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, let limit = limits.removeValue(forKey: pair[0]),
                  let value = UInt64(pair[1]), value <= limit
            else { return false }
        }
        return limits.isEmpty
    }
}
