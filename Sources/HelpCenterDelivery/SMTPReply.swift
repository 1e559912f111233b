import HelpCenterReset
import NIOConcurrencyHelpers
import NIOCore

/// One SMTP reply (RFC 5321 §4.2): a three-digit code and its text lines (`250-SIZE`, `250 HELP`
/// give code 250 and lines `["SIZE", "HELP"]`).
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var lines: [String]

    /// 2xx: done; 3xx: go on (after `DATA`, `AUTH`).
    public var isPositive: Bool { code < 400 }
    /// 4xx (RFC 5321 §4.2.1): try again later.
    public var isTemporary: Bool { code >= 400 && code < 500 }

    /// `250 text`, the lines joined with " / ".
    public var description: String { "\(code) " + lines.joined(separator: " / ") }
}

/// Splits the server's bytes into replies: lines end in CRLF (a bare LF is taken too), and a reply
/// ends at a line whose fourth character is a space (or that has only the code).
/// - Throws: ``DeliveryFailure`` (temporary) on a line that does not start with three digits, or a reply over 64 KiB.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// Where a STARTTLS stands: after its reply, no byte may come until TLS is on.
    enum StartTLS: Sendable { case notAsked, awaitingReply, awaitingHandshake, secured }

    let startTLS: NIOLockedValueBox<StartTLS>
    private var pending: [String] = []
    /// Bytes of the reply being read, at most 64 KiB in all.
    private var pendingBytes = 0

    init(startTLS: NIOLockedValueBox<StartTLS>) {
        self.startTLS = startTLS
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if startTLS.withLockedValue({ $0 }) == .awaitingHandshake, buffer.readableBytes > 0 {
            throw DeliveryFailure(.temporary, "the SMTP server sent more after its answer to STARTTLS, before TLS (RFC 3207 §4.2): refused as an attack on the connection")
        }
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 65_536 { throw DeliveryFailure(.temporary, "the SMTP server sent a line of over 64 KiB") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        pendingBytes += length
        if pendingBytes > 65_536 { throw DeliveryFailure(.temporary, "the SMTP server sent a reply of over 64 KiB") }
        var line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        // Control characters (a terminal's escapes, a bare CR) never reach a transcript or a log line.
        line = String(String.UnicodeScalarView(line.unicodeScalars.map { $0.properties.generalCategory == .control ? "\u{FFFD}" : $0 }))
        let digits = line.prefix(3)
        guard digits.count == 3, digits.allSatisfy(\.isASCII), let code = Int(digits), code >= 200, code < 600 else {
            throw DeliveryFailure(.temporary, "the SMTP server sent a line that is not a reply: \(line.prefix(80))")
        }
        let separator = line.dropFirst(3).first
        pending.append(String(line.dropFirst(4)))
        if separator == "-" {
            if pending.count > 1_000 { throw DeliveryFailure(.temporary, "the SMTP server sent a reply of over 1,000 lines") }
            return .continue
        }
        context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pending)))
        pending = []
        pendingBytes = 0
        let tlsNext = startTLS.withLockedValue { state -> Bool in
            guard state == .awaitingReply else { return false }
            state = .awaitingHandshake
            return true
        }
        if tlsNext && buffer.readableBytes > 0 {
            throw DeliveryFailure(.temporary, "the SMTP server sent more after its answer to STARTTLS, before TLS (RFC 3207 §4.2): refused as an attack on the connection")
        }
        return .continue
    }
}
