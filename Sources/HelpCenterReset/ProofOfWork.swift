import Crypto
import Foundation
import _CryptoExtras

/// The human check: an ALTCHA v2 proof-of-work challenge in deterministic mode, algorithm `PBKDF2/SHA-256`.
///
/// Protocol: ALTCHA v2, altcha-lib 2.3.1 `src/v2/pow.ts` (challenge creation, solving, verification) and
/// altcha-lib-go `v2/canonical_json.go` (canonical JSON); key derivation is RFC 8018 PBKDF2 with HMAC-SHA-256.
/// See also the research note, §5 ("ALTCHA proof-of-work protocol") and §1-J.
///
/// - The server picks a secret counter `c` uniformly from `counters`, derives
///   `key = PBKDF2-HMAC-SHA256(password: nonce ‖ UInt32BE(c), salt: salt, rounds: cost, length: 32 bytes)`
///   and publishes the first 16 bytes of the key (`keyPrefix`), an HMAC of the whole key (`keySignature`)
///   and an HMAC of the parameters (`signature`). It keeps no state.
/// - The browser tries counters 0, 1, 2 … until the derived key starts with `keyPrefix`, then posts
///   `base64(JSON {challenge, solution: {counter, derivedKey, time}})` in the form field `altcha`.
/// - `verify` checks size, shape, expiry, signature, parameters, purpose, the key signature **and** re-derives
///   the key for the submitted counter (so neither a forged key signature nor a counter-0 shortcut passes).
///   It returns the challenge nonce, which the caller must burn in its single-use store (replay protection).
///
/// All hex is lowercase. Secrets are used as the UTF-8 bytes of the strings, as the ALTCHA libraries do.
public struct ProofOfWork: Sendable {
    /// The only algorithm issued and accepted.
    static let algorithm = "PBKDF2/SHA-256"
    /// Derived key length, in bytes (64 hex characters).
    static let keyLength = 32
    /// Length of the published key prefix, in bytes (`keyLength / 2`, 32 hex characters).
    static let keyPrefixLength = 16
    /// Length of the random nonce and salt, in bytes.
    static let randomLength = 16
    /// Largest accepted form field value, in bytes.
    static let maximumPayloadBytes = 4_096
    /// Allowed clock skew when checking `expiresAt`, in seconds.
    static let clockSkew: TimeInterval = 30
    /// PBKDF2 iteration counts accepted at all (bounds the CPU one verification can cost).
    static let costBounds: ClosedRange<Int> = 1...100_000
    /// Largest integer JavaScript represents exactly (2^53 − 1); larger numbers are rejected as malformed.
    static let maximumSafeInteger: Int64 = 9_007_199_254_740_991

    private let signatureSecret: [UInt8]
    private let keySignatureSecret: [UInt8]
    private let cost: Int
    let counters: ClosedRange<UInt32>
    private let lifetime: TimeInterval

    /// Creates the issuer and verifier.
    ///
    /// - Parameters:
    ///   - signatureSecret: HMAC-SHA256 key (as UTF-8) for the challenge `signature` (`hmacSignatureSecret` in
    ///     altcha-lib). Use 256 random bits.
    ///   - keySignatureSecret: HMAC-SHA256 key (as UTF-8) for `keySignature` (`hmacKeySignatureSecret`). Must differ
    ///     from `signatureSecret`.
    ///   - cost: PBKDF2 iterations per attempt (ALTCHA `cost`); 1…100,000. Default 5,000 (ALTCHA `about.md`).
    ///   - counters: range the secret counter is drawn from, i.e. how many attempts a browser makes. Default
    ///     0…10,000: uniform from 0, where every solver starts, so that a buyer and an attacker alike make
    ///     5,000 attempts on average and nobody can skip a part of the range (with ALTCHA's 5,000…10,000
    ///     an attacker starting at 5,000 did a third of a buyer's work, who starts at 0).
    ///   - lifetime: seconds from `now` to the challenge's `expiresAt`. Default 600 (10 minutes).
    public init(
        signatureSecret: String, keySignatureSecret: String, cost: Int = 5_000,
        counters: ClosedRange<UInt32> = 0...10_000, lifetime: TimeInterval = 600
    ) {
        precondition(Self.costBounds.contains(cost), "ProofOfWork cost must be in \(Self.costBounds)")
        precondition(lifetime > 0, "ProofOfWork lifetime must be positive")
        precondition(!signatureSecret.isEmpty && !keySignatureSecret.isEmpty, "ProofOfWork secrets must not be empty")
        self.signatureSecret = Array(signatureSecret.utf8)
        self.keySignatureSecret = Array(keySignatureSecret.utf8)
        self.cost = cost
        self.counters = counters
        self.lifetime = lifetime
    }

    // MARK: Issuing

    /// A new challenge for `purpose`, as the JSON text the challenge endpoint returns (serve it with
    /// `Content-Type: application/json` and `Cache-Control: no-store`).
    ///
    /// Shape (ALTCHA v2, altcha-lib 2.3.1 `src/v2/pow.ts` `createChallenge` with a counter and both secrets),
    /// with `parameters` in canonical form:
    /// `{"parameters":{"algorithm":"PBKDF2/SHA-256","cost":5000,"data":{"purpose":"<purpose>"},"expiresAt":<unix s>,
    /// "keyLength":32,"keyPrefix":"<32 hex>","keySignature":"<64 hex>","nonce":"<32 hex>","salt":"<32 hex>"},
    /// "signature":"<64 hex>"}`.
    ///
    /// - Parameters:
    ///   - purpose: what the solution may be used for (`parameters.data.purpose`); `verify` requires the same value.
    ///   - now: the current time; `expiresAt` is `now + lifetime`, in whole Unix seconds.
    /// - Returns: UTF-8 JSON text. Costs one PBKDF2 derivation (`cost` iterations), so rate-limit the endpoint.
    public func challenge(purpose: String, now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<Self.randomLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let salt = (0..<Self.randomLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let counter = UInt32.random(in: counters, using: &generator)
        let key: [UInt8]
        do {
            key = try Self.deriveKey(nonce: nonce, salt: salt, counter: counter, cost: cost)
        } catch {
            // BoringSSL's PBKDF2 fails only for invalid arguments, which `init` and the constants rule out.
            preconditionFailure("PBKDF2 failed: \(error)")
        }
        let parameters = Parameters(
            algorithm: Self.algorithm, cost: cost, data: ["purpose": purpose],
            expiresAt: Int64(now.timeIntervalSince1970.rounded(.down)) + Int64(lifetime.rounded(.down)),
            keyLength: Self.keyLength, keyPrefix: Self.hex(key.prefix(Self.keyPrefixLength)),
            keySignature: Self.hmacHex(key, secret: keySignatureSecret), memoryCost: nil, nonce: Self.hex(nonce), parallelism: nil,
            salt: Self.hex(salt)
        )
        let canonical = Self.canonicalJSON(parameters)
        let signature = Self.hmacHex(Array(canonical.utf8), secret: signatureSecret)
        return #"{"parameters":"# + canonical + #","signature":""# + signature + #""}"#
    }

    // MARK: Verifying

    /// Verifies the value of the form field `altcha`: standard base64 (with padding) of the UTF-8 JSON payload
    /// `{"challenge":{"parameters":{…as issued…},"signature":"<64 hex>"},"solution":{"counter":<UInt32>,
    /// "derivedKey":"<64 hex>","time":<ms, ignored>}}` (ALTCHA v2, altcha-lib 2.3.1 `src/v2/pow.ts` `verifySolution`,
    /// with the stricter checks of the research note §5.5 steps 1–7).
    ///
    /// Order of checks: size ≤ 4,096 bytes → base64 and JSON, no `test`, no v1 shape, no unknown or `null`
    /// parameters, `expiresAt` present → `expiresAt + 30 s ≥ now` → signature (constant time) → algorithm, cost,
    /// key length, hex fields, no `memoryCost`/`parallelism`, `expiresAt ≤ now + lifetime + 30 s` →
    /// `data.purpose == purpose` → `derivedKey` is 64 lowercase hex and matches `keySignature` (constant time) →
    /// PBKDF2 for `solution.counter` equals `derivedKey` and starts with `keyPrefix`.
    ///
    /// - Parameters:
    ///   - payload: the form field value, as posted.
    ///   - purpose: the purpose this endpoint accepts (as given to `challenge(purpose:now:)`).
    ///   - now: the current time.
    /// - Returns: the replay key: the challenge nonce (32 lowercase hex characters). The caller must insert it
    ///   atomically into its single-use store (kept until `expiresAt` + 30 s) and reject the request if it was
    ///   already there (research note §5.5 step 8).
    /// - Throws: `ProofOfWork.Rejection` with a reason code; it never contains the payload, so it is safe to log.
    ///   Costs at most one HMAC of ≤ 4 KB, one HMAC of 32 bytes and one PBKDF2 derivation (≤ 100,000 iterations).
    public func verify(_ payload: String, purpose: String, now: Date) throws(ProofOfWork.Rejection) -> String {
        // 1. Size, base64, JSON.  2. No `test`, no v1 shape, challenge and solution present (in `Payload`).
        guard payload.utf8.count <= Self.maximumPayloadBytes else { throw Rejection(.tooLarge) }
        guard let json = Data(base64Encoded: payload) else { throw Rejection(.malformed) }
        let decoded: Payload
        do {
            decoded = try JSONDecoder().decode(Payload.self, from: json)
        } catch {
            throw Rejection(.malformed)
        }
        let parameters = decoded.challenge.parameters
        let nowSeconds = now.timeIntervalSince1970

        // 3. Expiry is required.
        guard let expiresAt = parameters.expiresAt else { throw Rejection(.malformed) }
        guard Double(expiresAt) + Self.clockSkew >= nowSeconds else { throw Rejection(.expired) }

        // 4. Signature over the canonical JSON of the parameters, compared in constant time.
        guard let signature = Self.bytes(hex: decoded.challenge.signature), signature.count == 32,
            HMAC<SHA256>.isValidAuthenticationCode(
                signature, authenticating: Array(Self.canonicalJSON(parameters).utf8),
                using: SymmetricKey(data: signatureSecret))
        else { throw Rejection(.badSignature) }

        // 5. Defence in depth: only what this server issues.
        guard parameters.algorithm == Self.algorithm, Self.costBounds.contains(parameters.cost),
            parameters.keyLength == Self.keyLength, parameters.memoryCost == nil, parameters.parallelism == nil,
            Double(expiresAt) <= nowSeconds + lifetime + Self.clockSkew,
            let nonce = Self.bytes(hex: parameters.nonce), nonce.count == Self.randomLength,
            let salt = Self.bytes(hex: parameters.salt), salt.count == Self.randomLength,
            let keyPrefix = Self.bytes(hex: parameters.keyPrefix), keyPrefix.count == Self.keyPrefixLength,
            let keySignature = parameters.keySignature.flatMap(Self.bytes(hex:)), keySignature.count == 32
        else { throw Rejection(.badParameters) }
        guard parameters.data?["purpose"] == purpose else { throw Rejection(.wrongPurpose) }

        // 6. Deterministic mode: the submitted key is the one the server derived (constant time).
        let solution = decoded.solution
        guard let derivedKey = Self.bytes(hex: solution.derivedKey), derivedKey.count == Self.keyLength,
            HMAC<SHA256>.isValidAuthenticationCode(
                keySignature, authenticating: derivedKey, using: SymmetricKey(data: keySignatureSecret))
        else { throw Rejection(.wrongKey) }

        // 7. …and it is the key for the submitted counter, starting with the published prefix.
        let rederived: [UInt8]
        do {
            rederived = try Self.deriveKey(nonce: nonce, salt: salt, counter: solution.counter, cost: parameters.cost)
        } catch {
            throw Rejection(.wrongKey)
        }
        // `SymmetricKey ==` is swift-crypto's constant-time comparison.
        guard SymmetricKey(data: rederived) == SymmetricKey(data: derivedKey),
            SymmetricKey(data: Array(rederived.prefix(Self.keyPrefixLength))) == SymmetricKey(data: keyPrefix)
        else { throw Rejection(.wrongKey) }

        // 8. Replay protection is the caller's: it burns this key.
        return parameters.nonce
    }

    /// Why `verify` refused a payload. Carries a reason code only (never the payload), so it is safe to log.
    public struct Rejection: Error, Equatable, CustomStringConvertible {
        /// The reason code.
        public let reason: Reason

        /// A rejection for `reason`.
        public init(_ reason: Reason) { self.reason = reason }

        /// `"proof of work rejected: <reason>"`.
        public var description: String { "proof of work rejected: \(reason.rawValue)" }

        /// Reason codes, in the order `verify` checks them.
        public enum Reason: String, Sendable {
            /// The form field value is longer than 4,096 bytes.
            case tooLarge
            /// Not base64 of a JSON object of the v2 shape: bad base64 or JSON, `test` present, legacy v1 shape
            /// (`number`, `salt` at the top level), `challenge` or `solution` missing or `null`, a parameter that
            /// is unknown, `null` or of the wrong type, a number beyond 2^53 − 1, `expiresAt` missing, or a
            /// counter outside 0…2^32 − 1.
            case malformed
            /// `expiresAt` (Unix seconds) plus 30 seconds of clock skew is before `now`.
            case expired
            /// The `signature` is not the HMAC-SHA256 of the canonical parameters under our secret (tampered
            /// parameters, another server's challenge, or not 64 hex characters).
            case badSignature
            /// Signed by us but not something we issue now: another algorithm, cost outside 1…100,000, key length
            /// other than 32 bytes, `memoryCost`/`parallelism` present, no `keySignature` (probabilistic mode),
            /// nonce/salt/prefix/key signature not lowercase hex of the expected length, or `expiresAt` later than
            /// `now + lifetime + 30 s`.
            case badParameters
            /// `data.purpose` is not the purpose this endpoint accepts.
            case wrongPurpose
            /// The solution is wrong: `derivedKey` is not 64 lowercase hex, does not match `keySignature`, is not
            /// the PBKDF2 key for `solution.counter`, or does not start with `keyPrefix`.
            case wrongKey
        }
    }

    // MARK: Solving

    /// Solves a challenge by brute force, trying counters 0, 1, 2 … until the derived key starts with `keyPrefix`
    /// (altcha-lib 2.3.1 `src/v2/pow.ts` `solveChallenge`). For tests and the command line only: with the default
    /// parameters it runs 5,000–10,000 PBKDF2 derivations of 5,000 iterations each.
    ///
    /// - Parameter challengeJSON: the JSON text returned by `challenge(purpose:now:)`.
    /// - Returns: the form field value: standard base64 of
    ///   `{"challenge":{"parameters":{…},"signature":"…"},"solution":{"counter":N,"derivedKey":"<64 hex>","time":<ms>}}`.
    /// - Throws: `ProofOfWork.Rejection` (`.malformed` for unparsable JSON, `.badParameters` for parameters this
    ///   type does not issue, `.wrongKey` if no counter up to 2^32 − 1 matches).
    public static func solve(_ challengeJSON: String) throws -> String {
        let challenge: Challenge
        do {
            challenge = try JSONDecoder().decode(Challenge.self, from: Data(challengeJSON.utf8))
        } catch {
            throw Rejection(.malformed)
        }
        let parameters = challenge.parameters
        guard parameters.algorithm == algorithm, costBounds.contains(parameters.cost), parameters.keyLength == keyLength,
            let nonce = bytes(hex: parameters.nonce), !nonce.isEmpty,
            let salt = bytes(hex: parameters.salt), !salt.isEmpty,
            !parameters.keyPrefix.isEmpty, parameters.keyPrefix.utf8.count <= 2 * keyLength,
            bytes(hex: parameters.keyPrefix + (parameters.keyPrefix.utf8.count % 2 == 1 ? "0" : "")) != nil
        else { throw Rejection(.badParameters) }
        let clock = ContinuousClock()
        let start = clock.now
        var counter: UInt32 = 0
        while true {
            let key = try deriveKey(nonce: nonce, salt: salt, counter: counter, cost: parameters.cost)
            let keyHex = hex(key)
            if keyHex.hasPrefix(parameters.keyPrefix) {
                let elapsed = start.duration(to: clock.now).components
                let milliseconds = elapsed.seconds * 1_000 + elapsed.attoseconds / 1_000_000_000_000_000
                let payload = #"{"challenge":{"parameters":"# + canonicalJSON(parameters) + #","signature":"#
                    + quote(challenge.signature) + #"},"solution":{"counter":"# + String(counter)
                    + #","derivedKey":""# + keyHex + #"","time":"# + String(milliseconds) + "}}"
                return Data(payload.utf8).base64EncodedString()
            }
            guard counter < .max else { throw Rejection(.wrongKey) }
            counter += 1
        }
    }

    // MARK: Internals

    /// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) of `nonce ‖ UInt32BE(counter)` with `salt`, `cost` rounds, 32 bytes.
    static func deriveKey(nonce: [UInt8], salt: [UInt8], counter: UInt32, cost: Int) throws -> [UInt8] {
        var password = nonce
        withUnsafeBytes(of: counter.bigEndian) { password.append(contentsOf: $0) }
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: password, salt: salt, using: .sha256, outputByteCount: keyLength, unsafeUncheckedRounds: cost)
        return key.withUnsafeBytes { Array($0) }
    }

    /// Lowercase hex of HMAC-SHA256(key: `secret`, message: `message`) (RFC 2104).
    static func hmacHex(_ message: [UInt8], secret: [UInt8]) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
    }

    /// Challenge parameters, decoded strictly: unknown keys, `null` values, non-integers and integers beyond
    /// 2^53 − 1 are errors; `data` is a flat object of strings.
    struct Parameters: Equatable {
        var algorithm: String
        var cost: Int
        var data: [String: String]?
        var expiresAt: Int64?
        var keyLength: Int
        var keyPrefix: String
        var keySignature: String?
        var memoryCost: Int?
        var nonce: String
        var parallelism: Int?
        var salt: String
    }

    struct Challenge: Decodable {
        var parameters: Parameters
        var signature: String
    }

    struct Solution: Decodable {
        var counter: UInt32
        var derivedKey: String
    }

    /// The decoded form field. Rejects `test` and the legacy v1 shape (`number` and `salt` at the top level).
    struct Payload: Decodable {
        var challenge: Challenge
        var solution: Solution

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            for forbidden in ["test", "number", "salt"] where container.contains(AnyKey(forbidden)) {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyKey(forbidden), in: container, debugDescription: "not an ALTCHA v2 payload")
            }
            challenge = try container.decode(Challenge.self, forKey: AnyKey("challenge"))
            solution = try container.decode(Solution.self, forKey: AnyKey("solution"))
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The canonical JSON of the parameters: `JSON.stringify(sortKeys(parameters))` as altcha-lib signs it
    /// (research note §5.7). Keys in fixed order `algorithm, cost, data, expiresAt, keyLength, keyPrefix,
    /// keySignature, memoryCost, nonce, parallelism, salt`, absent ones omitted; `data` keys in JavaScript
    /// property order (array-index keys numerically first, then UTF-16 code-unit order); no whitespace.
    static func canonicalJSON(_ parameters: Parameters) -> String {
        var members: [String] = []
        func add(_ key: String, _ value: String?) {
            if let value { members.append(quote(key) + ":" + value) }
        }
        add("algorithm", quote(parameters.algorithm))
        add("cost", String(parameters.cost))
        add("data", parameters.data.map { data in
            "{" + data.keys.sorted(by: javaScriptKeyOrder).map { quote($0) + ":" + quote(data[$0]!) }
                .joined(separator: ",") + "}"
        })
        add("expiresAt", parameters.expiresAt.map { String($0) })
        add("keyLength", String(parameters.keyLength))
        add("keyPrefix", quote(parameters.keyPrefix))
        add("keySignature", parameters.keySignature.map(quote))
        add("memoryCost", parameters.memoryCost.map { String($0) })
        add("nonce", quote(parameters.nonce))
        add("parallelism", parameters.parallelism.map { String($0) })
        add("salt", quote(parameters.salt))
        return "{" + members.joined(separator: ",") + "}"
    }

    /// The order JavaScript gives an object's own string keys: array indices (canonical decimal, below 2^32 − 1)
    /// in numeric order, then the others in UTF-16 code-unit order (what `Array.prototype.sort` does).
    static func javaScriptKeyOrder(_ lhs: String, _ rhs: String) -> Bool {
        switch (arrayIndex(lhs), arrayIndex(rhs)) {
        case let (left?, right?): left < right
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): lhs.utf16.lexicographicallyPrecedes(rhs.utf16)
        }
    }

    private static func arrayIndex(_ key: String) -> UInt32? {
        let digits = key.utf8
        guard let first = digits.first, digits.count <= 10, digits.allSatisfy({ (0x30...0x39).contains($0) }),
            first != 0x30 || digits.count == 1, let value = UInt64(key), value < UInt64(UInt32.max)
        else { return nil }
        return UInt32(value)
    }

    /// A JSON string literal escaped as `JSON.stringify` does: `"`, `\` and control characters only
    /// (`\b \f \n \r \t`, others as `\u00xx`); `/` and non-ASCII are emitted as they are (UTF-8).
    static func quote(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let digits = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Lowercase hex of `bytes`.
    static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes of a non-empty, even-length, **lowercase** hex string, or nil.
    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard !digits.isEmpty, digits.count % 2 == 0 else { return nil }
        func nibble(_ digit: UInt8) -> UInt8? {
            switch digit {
            case 0x30...0x39: digit - 0x30
            case 0x61...0x66: digit - 0x61 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}

extension ProofOfWork.Parameters: Decodable {
    private static let knownKeys: Set<String> = [
        "algorithm", "cost", "data", "expiresAt", "keyLength", "keyPrefix", "keySignature", "memoryCost", "nonce",
        "parallelism", "salt",
    ]

    init(from decoder: any Decoder) throws {
        typealias Key = ProofOfWork.AnyKey
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys {
            guard Self.knownKeys.contains(key.stringValue), try !container.decodeNil(forKey: key) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "unknown or null challenge parameter")
            }
        }
        func integer(_ name: String) throws -> Int64? {
            guard let value = try container.decodeIfPresent(Int64.self, forKey: Key(name)) else { return nil }
            guard (-ProofOfWork.maximumSafeInteger...ProofOfWork.maximumSafeInteger).contains(value) else {
                throw DecodingError.dataCorruptedError(
                    forKey: Key(name), in: container, debugDescription: "integer beyond 2^53 - 1")
            }
            return value
        }
        func required(_ name: String) throws -> Int {
            guard let value = try integer(name) else {
                throw DecodingError.keyNotFound(
                    Key(name), .init(codingPath: container.codingPath, debugDescription: "missing \(name)"))
            }
            return Int(value)
        }
        algorithm = try container.decode(String.self, forKey: Key("algorithm"))
        cost = try required("cost")
        data = try container.decodeIfPresent([String: String].self, forKey: Key("data"))
        expiresAt = try integer("expiresAt")
        keyLength = try required("keyLength")
        keyPrefix = try container.decode(String.self, forKey: Key("keyPrefix"))
        keySignature = try container.decodeIfPresent(String.self, forKey: Key("keySignature"))
        memoryCost = try integer("memoryCost").map { Int($0) }
        nonce = try container.decode(String.self, forKey: Key("nonce"))
        parallelism = try integer("parallelism").map { Int($0) }
        salt = try container.decode(String.self, forKey: Key("salt"))
    }
}
