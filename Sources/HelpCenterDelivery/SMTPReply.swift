import HelpCenterReset
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
    private var pending: [String] = []
    private var pendingCode: Int?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 65_536 { throw DeliveryFailure(.temporary, "the SMTP server sent a line of over 64 KiB") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        var line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        let digits = line.prefix(3)
        guard digits.count == 3, digits.allSatisfy(\.isASCII), let code = Int(digits), code >= 200, code < 600 else {
            throw DeliveryFailure(.temporary, "the SMTP server sent a line that is not a reply: \(line.prefix(80))")
        }
        let separator = line.dropFirst(3).first
        pending.append(String(line.dropFirst(4)))
        pendingCode = code
        if separator == "-" {
            if pending.count > 1_000 { throw DeliveryFailure(.temporary, "the SMTP server sent a reply of over 1,000 lines") }
            return .continue
        }
        context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pending)))
        pending = []
        pendingCode = nil
        return .continue
    }
}
