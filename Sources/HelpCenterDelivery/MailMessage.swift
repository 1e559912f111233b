import Foundation
import HelpCenterReset

/// One email as it goes on the wire: RFC 5322 headers and a MIME `multipart/alternative` body with a
/// plain-text and an HTML part (RFC 2046 §5.1.4), both UTF-8 in quoted-printable (RFC 2045 §6.7), so
/// the message is 7-bit clean and any server takes it, with or without 8BITMIME (RFC 6152).
public struct MailMessage: Sendable, Equatable {
    /// The envelope sender and `From:`: an address, or `Name <address>`.
    public var from: String
    /// The one recipient's address (envelope and `To:`).
    public var to: String
    public var subject: String
    public var text: String
    /// The HTML part; nil sends the text part alone (`text/plain`).
    public var html: String?
    public var date: Date
    /// The `Message-ID` without its angle brackets: a random id at the sender's domain.
    public var messageID: String

    public init(from: String, to: String, subject: String, text: String, html: String?, date: Date = Date(), messageID: String? = nil) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.messageID = messageID ?? "\(UUID().uuidString.lowercased())@\(MailMessage.domain(of: MailMessage.address(in: from)))"
    }

    /// The address inside `Name <address>`, or the whole value trimmed.
    public static func address(in value: String) -> String {
        if let open = value.lastIndex(of: "<"), let close = value.lastIndex(of: ">"), open < close {
            return String(value[value.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
        }
        return value.trimmingCharacters(in: .whitespaces)
    }

    /// Refuses a sender or recipient that could change the SMTP conversation or the headers: one
    /// address, `local@domain`, with no control character (a CR LF pair is one `Character` in Swift,
    /// so scalars are checked), space, angle bracket, comma, semicolon, parenthesis, quote or backslash.
    /// - Throws: ``DeliveryFailure`` (permanent).
    public static func checkAddresses(of message: MailMessage) throws {
        for address in [address(in: message.from), message.to] {
            let parts = address.split(separator: "@", omittingEmptySubsequences: false)
            let unsafe = address.unicodeScalars.contains {
                $0.properties.generalCategory == .control || $0.properties.isWhitespace || "<>,;()\"\\[]".unicodeScalars.contains($0)
            }
            guard !unsafe, parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw DeliveryFailure(.permanent, "the address \(String(address.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) }).debugDescription) cannot be sent to: it is not one plain address")
            }
        }
        if message.from.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw DeliveryFailure(.permanent, "the sender name holds a control character")
        }
    }

    static func domain(of address: String) -> String {
        address.split(separator: "@").last.map(String.init) ?? "localhost"
    }

    /// The message as CRLF lines, headers then body, before dot-stuffing: what `DATA` carries and
    /// what `sendmail -t` reads (there with LF line ends).
    public func rendered(boundary: String = "=_" + UUID().uuidString) -> String {
        var headers = [
            "From: " + Self.encodedMailbox(from),
            "To: " + to,
            "Subject: " + Self.encodedWord(subject),
            "Date: " + Self.rfc5322Date(date),
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
        ]
        var body: [String] = []
        if let html {
            headers.append("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"")
            body = ["This is a message in MIME format: a plain-text part and an HTML part.", ""]
            for (type, content) in [("text/plain", text), ("text/html", html)] {
                body += ["--" + boundary, "Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "",
                         Self.quotedPrintable(content)]
            }
            body.append("--" + boundary + "--")
        } else {
            headers += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"]
            body = [Self.quotedPrintable(text)]
        }
        return (headers + [""] + body).joined(separator: "\r\n") + "\r\n"
    }

    /// `text` as one or more RFC 2047 encoded words (`=?utf-8?B?…?=`) when it is not printable ASCII,
    /// each at most 75 characters and holding whole UTF-8 characters; ASCII text as it is.
    static func encodedWord(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            // 39 bytes of UTF-8 make 52 base64 characters: with "=?utf-8?B?" and "?=", 64, so that a
            // header line stays within 78 characters (RFC 5322 §2.1.1) also after "Subject: ".
            if chunk.utf8.count + String(character).utf8.count > 39 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        words.append(chunk)
        return words.map { "=?utf-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }

    /// `Name <address>` with the name encoded per RFC 2047 when needed (quoted when ASCII).
    static func encodedMailbox(_ value: String) -> String {
        guard let open = value.lastIndex(of: "<") else { return value }
        let name = value[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        if name.isEmpty { return String(value[open...]) }
        let encoded = encodedWord(name)
        let display = encoded == name ? "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" : encoded
        // Folded before the address when the line would pass 78 characters.
        let lastLine = display.components(separatedBy: "\r\n").last ?? display
        return display + (lastLine.count + value[open...].count > 70 ? "\r\n " : " ") + value[open...]
    }

    /// RFC 5322 §3.3 date-time in UTC: `Fri, 04 Dec 2026 07:05:09 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// Quoted-printable (RFC 2045 §6.7) of `text`'s UTF-8, with CRLF line ends and soft line breaks
    /// keeping every line at most 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { line -> String in
            var out: [UInt8] = []
            var length = 0
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                let plain = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !last)
                let piece: [UInt8] = plain ? [byte] : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                if length + piece.count > 75 {
                    out += Array("=\r\n".utf8)
                    length = 0
                }
                out += piece
                length += piece.count
            }
            return String(decoding: out, as: UTF8.self)
        }.joined(separator: "\r\n")
    }

    /// `data` dot-stuffed for `DATA` (RFC 5321 §4.5.2): a line that starts with "." gets another.
    static func dotStuffed(_ data: String) -> String {
        (data.hasPrefix(".") ? "." : "") + data.replacingOccurrences(of: "\r\n.", with: "\r\n..")
    }
}
