import Foundation

/// Delivers messages as files in a folder (a mail drop, as an MTA's pickup directory reads them):
/// one `<time>-<channel>-<n>.txt` per message with `To:`, `Subject:` and the body, mode 0600.
/// What `helpcenter serve` uses without `--demo` when no email or SMS gateway is configured.
public struct MailDropDelivery: Delivery {
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    public func deliver(_ message: Message) async throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let name = "\(Int(message.sentAt.timeIntervalSince1970 * 1000))-\(message.channel.rawValue)-\(UUID().uuidString.prefix(8)).txt"
        let text = "To: \(message.to)\nChannel: \(message.channel.rawValue)\nSubject: \(message.subject)\n\n\(message.body)\n"
        guard FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }
}
