import Foundation
import Testing

@testable import HelpCenterReset

/// `node`, if installed, to run the browser worker's solver against a Swift challenge.
private let nodeExecutable: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin")
    .split(separator: ":").map { "\($0)/node" }.first { FileManager.default.isExecutableFile(atPath: $0) }

/// Sources/HelpCenterServer/Pages/proof-of-work-worker.js, found from this file's path.
private let workerScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources/HelpCenterServer/Pages/proof-of-work-worker.js").path

@Suite("ProofOfWork: ALTCHA v2 proof of work, deterministic PBKDF2/SHA-256")
struct ProofOfWorkTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)
    static let purpose = "pwreset"
    /// Small cost and counters keep brute-force solving fast in debug builds.
    let pow = ProofOfWork(
        signatureSecret: "signature-secret-for-tests", keySignatureSecret: "key-signature-secret-for-tests",
        cost: 50, counters: 10...30, lifetime: 600)

    /// Issue 24, finding 12: the counter is drawn from where every solver (the page's and an
    /// attacker's) starts, 0, so nobody skips part of the work; the mean stays 5,000 attempts.
    @Test("the default counters start at 0, where the page's solver starts")
    func defaultCountersStartWhereSolversStart() {
        let pow = ProofOfWork(signatureSecret: "a", keySignatureSecret: "b")
        #expect(pow.counters.lowerBound == 0)
        #expect((pow.counters.lowerBound + pow.counters.upperBound) / 2 == 5_000)
    }

    // MARK: Helpers

    func solved(purpose: String = ProofOfWorkTests.purpose, by issuer: ProofOfWork? = nil) throws -> String {
        try ProofOfWork.solve((issuer ?? pow).challenge(purpose: purpose, now: Self.now))
    }

    func verify(
        _ payload: String, purpose: String = ProofOfWorkTests.purpose, at now: Date = ProofOfWorkTests.now
    ) throws(ProofOfWork.Rejection) -> String {
        try pow.verify(payload, purpose: purpose, now: now)
    }

    func json(_ payload: String) throws -> [String: Any] {
        let data = try #require(Data(base64Encoded: payload))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func editing(_ payload: String, _ edit: (inout [String: Any]) throws -> Void) throws -> String {
        var root = try json(payload)
        try edit(&root)
        return try JSONSerialization.data(withJSONObject: root).base64EncodedString()
    }

    func editingParameters(_ payload: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
        try editing(payload) { root in
            var challenge = try #require(root["challenge"] as? [String: Any])
            var parameters = try #require(challenge["parameters"] as? [String: Any])
            edit(&parameters)
            challenge["parameters"] = parameters
            root["challenge"] = challenge
        }
    }

    func editingSolution(_ payload: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
        try editing(payload) { root in
            var solution = try #require(root["solution"] as? [String: Any])
            edit(&solution)
            root["solution"] = solution
        }
    }

    func parameters(of payload: String) throws -> [String: Any] {
        let challenge = try #require(try json(payload)["challenge"] as? [String: Any])
        return try #require(challenge["parameters"] as? [String: Any])
    }

    /// The honest PBKDF2 key of `counter` for the payload's challenge, as hex.
    func key(for counter: UInt32, in payload: String) throws -> String {
        let parameters = try parameters(of: payload)
        let nonceHex = try #require(parameters["nonce"] as? String)
        let saltHex = try #require(parameters["salt"] as? String)
        let nonce = try #require(ProofOfWork.bytes(hex: nonceHex))
        let salt = try #require(ProofOfWork.bytes(hex: saltHex))
        return ProofOfWork.hex(try ProofOfWork.deriveKey(nonce: nonce, salt: salt, counter: counter, cost: 50))
    }

    func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    // MARK: Round trip

    @Test("A challenge has the ALTCHA v2 deterministic shape")
    func challengeShape() throws {
        let text = ProofOfWork(signatureSecret: "a", keySignatureSecret: "b").challenge(purpose: "pwreset", now: Self.now)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(root.keys) == ["parameters", "signature"])
        let parameters = try #require(root["parameters"] as? [String: Any])
        #expect(Set(parameters.keys) == [
            "algorithm", "cost", "data", "expiresAt", "keyLength", "keyPrefix", "keySignature", "nonce", "salt",
        ])
        #expect(parameters["algorithm"] as? String == "PBKDF2/SHA-256")
        #expect(parameters["cost"] as? Int == 5_000)
        #expect(parameters["keyLength"] as? Int == 32)
        #expect(parameters["expiresAt"] as? Int == 1_767_225_600 + 600)
        #expect((parameters["data"] as? [String: String]) == ["purpose": "pwreset"])
        let lowercaseHex = /[0-9a-f]+/
        for (name, length) in [("keyPrefix", 32), ("keySignature", 64), ("nonce", 32), ("salt", 32)] {
            let value = try #require(parameters[name] as? String)
            #expect(value.count == length && value.wholeMatch(of: lowercaseHex) != nil, "\(name)")
        }
        let signature = try #require(root["signature"] as? String)
        #expect(signature.count == 64 && signature.wholeMatch(of: lowercaseHex) != nil)
        let expectedPrefix = "{\"parameters\":{\"algorithm\":\"PBKDF2/SHA-256\",\"cost\":5000,\"data\":{\"purpose\":\"pwreset\"},"
        #expect(text.hasPrefix(expectedPrefix))
    }

    @Test("A solved challenge verifies and returns its nonce as the replay key")
    func solvedChallengeVerifies() throws {
        let payload = try solved()
        let nonce = try #require(try parameters(of: payload)["nonce"] as? String)
        #expect(try verify(payload, at: Self.now.addingTimeInterval(60)) == nonce)
        let counter = try #require(try json(payload)["solution"] as? [String: Any])["counter"] as? Int
        #expect((10...30).contains(try #require(counter)))
    }

    @Test("Two challenges differ in nonce and salt")
    func challengesAreFresh() throws {
        let opening = "{\"challenge\":"
        let first = try parameters(of: base64(opening + pow.challenge(purpose: "x", now: Self.now) + "}"))
        let second = try parameters(of: base64(opening + pow.challenge(purpose: "x", now: Self.now) + "}"))
        #expect(first["nonce"] as? String != second["nonce"] as? String)
        #expect(first["salt"] as? String != second["salt"] as? String)
    }

    // MARK: Expiry and signature

    @Test("An expired challenge is rejected, allowing 30 s of clock skew")
    func expiry() throws {
        let payload = try solved()
        #expect(try verify(payload, at: Self.now.addingTimeInterval(600 + 29)).count == 32)
        #expect(throws: ProofOfWork.Rejection(.expired)) {
            try verify(payload, at: Self.now.addingTimeInterval(600 + 31))
        }
        #expect(throws: ProofOfWork.Rejection(.expired)) {
            try verify(payload, at: Self.now.addingTimeInterval(86_400))
        }
    }

    @Test("Tampered parameters fail the signature", arguments: ["cost", "expiresAt", "purpose", "keyPrefix", "keySignature", "nonce"])
    func tamperedParameters(field: String) throws {
        let payload = try editingParameters(try solved()) { parameters in
            switch field {
            case "cost": parameters["cost"] = 1
            case "expiresAt": parameters["expiresAt"] = (parameters["expiresAt"] as! Int) + 3_600
            case "purpose": parameters["data"] = ["purpose": "pwreset-other"]
            case "keyPrefix": parameters["keyPrefix"] = String(repeating: "0", count: 32)
            case "keySignature": parameters["keySignature"] = String(repeating: "1", count: 64)
            default: parameters["nonce"] = String(repeating: "2", count: 32)
            }
        }
        #expect(throws: ProofOfWork.Rejection(.badSignature)) { try verify(payload, purpose: field == "purpose" ? "pwreset-other" : Self.purpose) }
    }

    @Test("A challenge signed with another secret, or with a bad signature field, fails the signature")
    func otherSecret() throws {
        let other = ProofOfWork(
            signatureSecret: "another-secret", keySignatureSecret: "key-signature-secret-for-tests", cost: 50,
            counters: 10...30)
        #expect(throws: ProofOfWork.Rejection(.badSignature)) { try verify(try solved(by: other)) }
        for signature in ["", "zz", String(repeating: "A", count: 64), String(repeating: "a", count: 62)] {
            let payload = try editing(try solved()) { root in
                var challenge = root["challenge"] as! [String: Any]
                challenge["signature"] = signature
                root["challenge"] = challenge
            }
            #expect(throws: ProofOfWork.Rejection(.badSignature)) { try verify(payload) }
        }
    }

    @Test("A correctly signed challenge for another purpose is refused")
    func wrongPurpose() throws {
        let payload = try solved(purpose: "newsletter")
        #expect(throws: ProofOfWork.Rejection(.wrongPurpose)) { try verify(payload) }
        #expect(try verify(payload, purpose: "newsletter").count == 32)
    }

    // MARK: Solution

    @Test("The honest key of another counter is refused")
    func otherCounterKey() throws {
        let payload = try solved()
        let counter = try #require(try json(payload)["solution"] as? [String: Any])["counter"] as! Int
        let forged = try editingSolution(payload) { [self] solution in
            solution["counter"] = counter + 1
            solution["derivedKey"] = try! key(for: UInt32(counter + 1), in: payload)
        }
        #expect(throws: ProofOfWork.Rejection(.wrongKey)) { try verify(forged) }
    }

    @Test("The counter-0 shortcut (counter 0 with its honestly derived key) is refused")
    func counterZeroShortcut() throws {
        let payload = try solved()
        let forged = try editingSolution(payload) { [self] solution in
            solution["counter"] = 0
            solution["derivedKey"] = try! key(for: 0, in: payload)
        }
        #expect(throws: ProofOfWork.Rejection(.wrongKey)) { try verify(forged) }
    }

    @Test("The right key with the wrong counter is refused (the key is re-derived for the counter)")
    func rightKeyWrongCounter() throws {
        let payload = try solved()
        for counter in [0, 1, 4_294_967_295] {
            let forged = try editingSolution(payload) { $0["counter"] = counter }
            #expect(throws: ProofOfWork.Rejection(.wrongKey)) { try verify(forged) }
        }
    }

    @Test("A derivedKey that is not 64 lowercase hex characters is refused", arguments: ["upper", "short", "long", "empty", "garbage"])
    func badDerivedKey(kind: String) throws {
        let payload = try solved()
        let key = try #require(try json(payload)["solution"] as? [String: Any])["derivedKey"] as! String
        let forged = try editingSolution(payload) { solution in
            switch kind {
            case "upper": solution["derivedKey"] = key.uppercased()
            case "short": solution["derivedKey"] = String(key.dropLast(2))
            case "long": solution["derivedKey"] = key + "00"
            case "empty": solution["derivedKey"] = ""
            default: solution["derivedKey"] = String(repeating: "g", count: 64)
            }
        }
        #expect(throws: ProofOfWork.Rejection(.wrongKey)) { try verify(forged) }
    }

    // MARK: Shape

    @Test("A payload over 4 KB is refused before it is decoded")
    func tooLarge() throws {
        let padded = try editingSolution(try solved()) { $0["padding"] = String(repeating: "x", count: 4_000) }
        #expect(padded.utf8.count > 4_096)
        #expect(throws: ProofOfWork.Rejection(.tooLarge)) { try verify(padded) }
        #expect(throws: ProofOfWork.Rejection(.tooLarge)) { try verify(String(repeating: "A", count: 4_100)) }
    }

    @Test(
        "Garbage is malformed",
        arguments: [
            "", "%%%%", "not base64 at all", "bm90IGpzb24=", Data("{}".utf8).base64EncodedString(),
            Data("[]".utf8).base64EncodedString(), Data("null".utf8).base64EncodedString(),
            Data(#"{"challenge":null,"solution":null}"#.utf8).base64EncodedString(),
            Data(#"{"challenge":{"parameters":{},"signature":""},"solution":{"counter":1,"derivedKey":""}}"#.utf8)
                .base64EncodedString(),
        ])
    func garbage(payload: String) {
        #expect(throws: ProofOfWork.Rejection(.malformed)) { try verify(payload) }
    }

    @Test("A payload with `test` is malformed")
    func testFlag() throws {
        for value: Any in [true, false] {
            let payload = try editing(try solved()) { $0["test"] = value }
            #expect(throws: ProofOfWork.Rejection(.malformed)) { try verify(payload) }
        }
    }

    @Test("The legacy v1 payload shape is malformed")
    func v1Shape() {
        let v1 = #"""
            {"algorithm":"SHA-256","challenge":"4ee1e1bbd0ad5b0f8b8c4a43bbc6ce4d9b0bc6d8f5e8e1b2c3d4e5f60718293a","number":12345,"salt":"46d5b1c8a7d9e2f3a4b5c6d7?expires=1767226200&","signature":"9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9","took":4200}
            """#
        #expect(throws: ProofOfWork.Rejection(.malformed)) { try verify(base64(v1)) }
    }

    @Test("Unknown, null, mistyped or missing parameters are malformed", arguments: 0..<6)
    func strictParameters(variant: Int) throws {
        let payload = try editingParameters(try solved()) { parameters in
            switch variant {
            case 0: parameters["extra"] = 1
            case 1: parameters["memoryCost"] = NSNull()
            case 2: parameters.removeValue(forKey: "expiresAt")
            case 3: parameters["cost"] = "50"
            case 4: parameters["data"] = ["purpose": 1]
            default: parameters["expiresAt"] = 9_007_199_254_740_992
            }
        }
        #expect(throws: ProofOfWork.Rejection(.malformed)) { try verify(payload) }
    }

    @Test("A counter outside 0…2^32−1 is malformed")
    func counterOutOfRange() throws {
        for counter in [-1, 4_294_967_296] {
            let payload = try editingSolution(try solved()) { $0["counter"] = counter }
            #expect(throws: ProofOfWork.Rejection(.malformed)) { try verify(payload) }
        }
    }

    @Test("Rejections describe only their reason code")
    func rejectionDescription() {
        #expect(ProofOfWork.Rejection(.wrongKey).description == "proof of work rejected: wrongKey")
        #expect(ProofOfWork.Rejection.Reason.tooLarge.rawValue == "tooLarge")
    }

    // MARK: Known answers from independent tools

    /// Expected values from Python: `hmac.new(b"kat-signature-secret", canonical.encode(), hashlib.sha256)`,
    /// the canonical string also checked equal to Node's `JSON.stringify(sortKeys(parameters))`.
    @Test("Canonical JSON and its HMAC-SHA256 match JSON.stringify(sortKeys(…)) (Python and Node known answer)")
    func canonicalJSONKnownAnswer() {
        let parameters = ProofOfWork.Parameters(
            algorithm: "PBKDF2/SHA-256", cost: 5_000,
            data: ["z": "<&>", "purpose": "pwreset", "esc": "a/b \"q\" \\ é\n\u{01}\u{2028}", "10": "ten", "2": "two"],
            expiresAt: 1_767_225_600, keyLength: 32, keyPrefix: "00112233445566778899aabbccddeeff",
            keySignature: String(repeating: "ab", count: 32), memoryCost: nil,
            nonce: "000102030405060708090a0b0c0d0e0f", parallelism: nil, salt: "101112131415161718191a1b1c1d1e1f")
        let canonical = ProofOfWork.canonicalJSON(parameters)
        let expected = #"{"algorithm":"PBKDF2/SHA-256","cost":5000,"data":{"2":"two","10":"ten","esc":"a/b \"q\" \\ é\n\u0001\#u{2028}","purpose":"pwreset","z":"<&>"},"expiresAt":1767225600,"keyLength":32,"keyPrefix":"00112233445566778899aabbccddeeff","keySignature":"abababababababababababababababababababababababababababababababab","nonce":"000102030405060708090a0b0c0d0e0f","salt":"101112131415161718191a1b1c1d1e1f"}"#
        #expect(canonical == expected)
        #expect(
            ProofOfWork.hmacHex(Array(canonical.utf8), secret: Array("kat-signature-secret".utf8))
                == "792312a34747490bdad41be12e7bb18d9064fb07b4162b058374ee29e733fe26")
    }

    @Test("JavaScript key order: array indices numerically first, then UTF-16 code units")
    func javaScriptKeyOrder() {
        // altcha-lib-go v2/testdata/canonical_json.json, cases "numericKeys" and "utf16Order".
        let keys = ["b", "10", "2", "a", "01", "-1", "4294967295", "4294967294", "0", "1.5"]
        #expect(keys.sorted(by: ProofOfWork.javaScriptKeyOrder)
            == ["0", "2", "10", "4294967294", "-1", "01", "1.5", "4294967295", "a", "b"])
        #expect(["\u{ff01}", "😀", "a", "B", "\u{e9}"].sorted(by: ProofOfWork.javaScriptKeyOrder)
            == ["B", "a", "é", "😀", "！"])
    }

    /// Expected key from Python: `hashlib.pbkdf2_hmac('sha256', nonce + (7312).to_bytes(4, 'big'), salt, 5000, 32)`.
    @Test("PBKDF2-HMAC-SHA256 of nonce ‖ UInt32BE(counter) matches Python hashlib (known answer)")
    func pbkdf2KnownAnswer() throws {
        let key = try ProofOfWork.deriveKey(
            nonce: Array(0..<16), salt: Array(16..<32), counter: 7_312, cost: 5_000)
        #expect(ProofOfWork.hex(key) == "1226d978426ee6a7b9cfe4a729e8d2074e6b064ca107a2fdaa06f907b58dfd28")
        #expect(
            ProofOfWork.hmacHex(key, secret: Array("kat-key-signature-secret".utf8))
                == "7e7f4b58e7a7db1ec29e9c1b5ba8ddaea446ce3fdeaf974ea3ae4a2e0f56bcdf")
    }

    /// A whole payload built by Python (hashlib, hmac, json with other key order and indentation, base64):
    /// cost 5000, counter 7312, secrets "kat-signature-secret" and "kat-key-signature-secret".
    @Test("A payload built independently in Python verifies")
    func pythonPayloadVerifies() throws {
        let payload = """
            ewogInNvbHV0aW9uIjogewogICJ0aW1lIjogODEyLjUsCiAgImRlcml2ZWRLZXkiOiAiMTIyNmQ5Nzg0MjZlZTZhN2I5Y2ZlNGE3MjllOGQyMDc0ZTZiMDY0Y2ExMDdhMmZkYWEwNmY5MDdiNThkZmQyOCIsCiAgImNvdW50ZXIiOiA3MzEyCiB9LAogImNoYWxsZW5nZSI6IHsKICAic2lnbmF0dXJlIjogImUzMzc1ZDg4ZTVhYjI3OGJjYWIyYzAxYmZiMjBmMmE1NzgzZTI4MGEyMGZhMWQzZWRjZjI1ZTUzOGRkYTYxZTciLAogICJwYXJhbWV0ZXJzIjogewogICAic2FsdCI6ICIxMDExMTIxMzE0MTUxNjE3MTgxOTFhMWIxYzFkMWUxZiIsCiAgICJub25jZSI6ICIwMDAxMDIwMzA0MDUwNjA3MDgwOTBhMGIwYzBkMGUwZiIsCiAgICJrZXlTaWduYXR1cmUiOiAiN2U3ZjRiNThlN2E3ZGIxZWMyOWU5YzFiNWJhOGRkYWVhNDQ2Y2UzZmRlYWY5NzRlYTNhZTRhMmUwZjU2YmNkZiIsCiAgICJrZXlQcmVmaXgiOiAiMTIyNmQ5Nzg0MjZlZTZhN2I5Y2ZlNGE3MjllOGQyMDciLAogICAia2V5TGVuZ3RoIjogMzIsCiAgICJleHBpcmVzQXQiOiAxNzY3MjI1NjAwLAogICAiZGF0YSI6IHsKICAgICJwdXJwb3NlIjogInB3cmVzZXQiCiAgIH0sCiAgICJjb3N0IjogNTAwMCwKICAgImFsZ29yaXRobSI6ICJQQktERjIvU0hBLTI1NiIKICB9CiB9Cn0=
            """
        let kat = ProofOfWork(signatureSecret: "kat-signature-secret", keySignatureSecret: "kat-key-signature-secret")
        #expect(try kat.verify(payload, purpose: "pwreset", now: Self.now.addingTimeInterval(-60))
            == "000102030405060708090a0b0c0d0e0f")
        #expect(throws: ProofOfWork.Rejection(.wrongPurpose)) {
            try kat.verify(payload, purpose: "other", now: Self.now.addingTimeInterval(-60))
        }
    }

    // MARK: Browser solver

    @Test(
        "The browser worker's solver (run by Node.js, two interleaved workers) produces a payload Swift verifies",
        .enabled(if: nodeExecutable != nil && FileManager.default.fileExists(atPath: workerScript)))
    func browserWorkerSolutionVerifies() throws {
        let challenge = pow.challenge(purpose: Self.purpose, now: Self.now)
        // Mirrors proof-of-work.js: two workers (i, i + 2, …), first answer wins, btoa of the UTF-8 JSON.
        let script = """
            const { solve } = require(process.argv[1]);
            const challenge = JSON.parse(process.argv[2]);
            Promise.race([0, 1].map((i) => solve(challenge.parameters, i, 2))).then((solution) => {
              const json = JSON.stringify({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution });
              process.stdout.write(Buffer.from(json, 'utf8').toString('base64'), () => process.exit(0));
            }, (error) => { console.error(error); process.exit(1); });
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(nodeExecutable))
        process.arguments = ["-e", script, workerScript, challenge]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let payload = String(decoding: data, as: UTF8.self)
        let nonce = try #require(try parameters(of: payload)["nonce"] as? String)
        #expect(try verify(payload) == nonce)
    }
}
