import Foundation
import HelpCenterTestSupport

/// A real peer for a test, one of `Tests/peers/`: an SMTP server (aiosmtpd, `smtp_server.py`) or an
/// HTTP receiver in an SMS gateway's style (`sms_receiver.py`), run with the Python of
/// `.build/e2e-venv` (made by `make e2e-deps`, which `make test` runs first; or
/// `HELPCENTER_TEST_PYTHON`). Ready when it prints its port; stopped by ``stop()``. What it received
/// is in its folder's `received/N.json`.
final class PeerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let folder: URL
    /// The test CA's certificate (`ca.pem`), which signs the server's `good` certificate.
    var caFile: String { folder.appendingPathComponent("pki/ca.pem").path }

    /// An SMTP server; `arguments`: `--mode plain|starttls|tls` and the rest of the script's options.
    convenience init(smtp arguments: [String]) throws {
        try self.init(script: "smtp_server.py", arguments: arguments, pki: true)
    }

    /// The reference marketplace (`marketplace.py`) over the accounts in `accounts` (JSON), on `port` (0: any free one).
    convenience init(marketplace accounts: URL, secret: String, auth: String = "hmac", port: Int = 0) throws {
        try self.init(script: "marketplace.py", arguments: ["--accounts", accounts.path, "--secret", secret, "--auth", auth, "--port", String(port)],
                      records: false)
    }

    init(script: String, arguments: [String], pki: Bool = false, records: Bool = true) throws {
        let root = TemporaryContent.repositoryRoot()
        let python = ProcessInfo.processInfo.environment["HELPCENTER_TEST_PYTHON"] ?? root.appendingPathComponent(".build/e2e-venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw PeerError("no Python with the test packages at \(python): run 'make e2e-deps' (make test does) or set HELPCENTER_TEST_PYTHON")
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("Tests/peers/" + script).path]
            + (records ? ["--received", folder.appendingPathComponent("received").path] : [])
            + (pki ? ["--pki", folder.appendingPathComponent("pki").path] : []) + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The readiness line, "ready PORT" (read byte by byte: nothing else is written before it).
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
            line.append(first)
        }
        guard let text = String(data: line, encoding: .utf8), text.hasPrefix("ready "), let port = Int(text.dropFirst(6)) else {
            process.terminate()
            throw PeerError("\(script) did not start (it printed \(String(decoding: line, as: UTF8.self).debugDescription))")
        }
        self.port = port
    }

    /// What the peer received so far, oldest first, as it recorded it.
    func received() throws -> [[String: Any]] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("received").path)) ?? []
        return try files.filter { $0.hasSuffix(".json") }.sorted { Int($0.dropLast(5))! < Int($1.dropLast(5))! }.map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent("received/" + name))
            return try JSONSerialization.jsonObject(with: data) as! [String: Any]
        }
    }

    /// Stops the server with SIGKILL (a test process may have SIGTERM blocked, which the child inherits).
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    struct PeerError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
