import Foundation
import HelpCenterReset
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// Sends one message per connection to an SMTP server (RFC 5321), over implicit TLS (RFC 8314),
/// STARTTLS (RFC 3207) or, to a loopback address only, plain TCP; with AUTH PLAIN or LOGIN
/// (RFC 4954, RFC 4616) when a user name is set, and SMTPUTF8 (RFC 6531) for a non-ASCII address.
///
/// Certificates are always verified (the system's roots plus an optional CA file) against the
/// configured host name. Every failure is a ``DeliveryFailure``: a 4xx reply, a server down, slow or
/// failing TLS is temporary; a 5xx reply, or an address that cannot be sent to, permanent.
public struct SMTPClient: Sendable {
    public struct Configuration: Sendable {
        /// How the connection is secured.
        public enum Security: String, Sendable, CaseIterable {
            /// Plain TCP, then `STARTTLS` before anything else; the server must offer it (port 587).
            case starttls
            /// TLS from the first byte (port 465).
            case tls
            /// No TLS: only to a loopback address (a local relay).
            case plain
        }

        public var host: String
        public var port: Int
        public var security: Security
        public var username: String?
        /// The AUTH password: from a secret, never logged or shown in a transcript.
        public var password: String?
        /// A PEM file of extra certificate authorities to trust besides the system's.
        public var caFile: String?
        /// The name given in `EHLO`.
        public var heloName: String
        /// Seconds to wait for the TCP connection.
        public var connectTimeout: Double
        /// Seconds to wait for each reply (and for the TLS handshake).
        public var commandTimeout: Double

        public init(host: String, port: Int, security: Security = .starttls, username: String? = nil, password: String? = nil,
                    caFile: String? = nil, heloName: String = SMTPClient.hostName(), connectTimeout: Double = 10, commandTimeout: Double = 30) {
            self.host = host
            self.port = port
            self.security = security
            self.username = username
            self.password = password
            self.caFile = caFile
            self.heloName = heloName
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
        }
    }

    public let configuration: Configuration
    let tls: NIOSSLContext?

    /// - Throws: ``DeliveryFailure`` (permanent) when `plain` is asked for a host that is not
    ///   loopback, or the CA file cannot be read.
    public init(configuration: Configuration) throws {
        self.configuration = configuration
        if configuration.security == .plain {
            guard Self.isLoopback(configuration.host) else {
                throw DeliveryFailure(.permanent, "security 'plain' sends passwords and codes in clear text: it is allowed only to a loopback host (127.0.0.1, ::1, localhost); use 'starttls' or 'tls'")
            }
            tls = nil
        } else {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.minimumTLSVersion = .tlsv12
            tls.certificateVerification = .fullVerification
            if let caFile = configuration.caFile { tls.additionalTrustRoots = [.file(caFile)] }
            do {
                self.tls = try NIOSSLContext(configuration: tls)
            } catch {
                throw DeliveryFailure(.permanent, "cannot load the CA file \(configuration.caFile ?? ""): \(error)")
            }
        }
    }

    /// True for an IPv4 address in 127.0.0.0/8, `::1` and `localhost`; a name
    /// such as `127.0.0.1.example.com` is not.
    public static func isLoopback(_ host: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        return host == "localhost" || host == "::1"
    }

    /// This machine's host name (for `EHLO`).
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    /// Sends `message` to its one recipient, then `QUIT`.
    /// - Parameter transcript: called with each line sent (`C: …`) and reply (`S: …`); AUTH
    ///   arguments and the message data are left out.
    /// - Throws: ``DeliveryFailure``.
    public func send(_ message: MailMessage, transcript: (@Sendable (String) -> Void)? = nil) async throws {
        let from = MailMessage.address(in: message.from)
        try MailMessage.checkAddresses(of: message)
        let configuration = self.configuration
        let tls = self.tls
        let startTLS = NIOLockedValueBox(SMTPReplyDecoder.StartTLS.notAsked)
        let channel: NIOAsyncChannel<SMTPReply, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.milliseconds(Int64(configuration.connectTimeout * 1000)))
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if configuration.security == .tls, let tls {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(configuration.host)))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder(startTLS: startTLS)))
                        return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw DeliveryFailure(.temporary, "cannot connect to \(configuration.host):\(configuration.port): \(error)")
        }
        transcript?("connected to \(configuration.host):\(configuration.port) (\(configuration.security.rawValue))")
        try await channel.executeThenClose { inbound, outbound in
            var session = Session(channel: channel.channel, replies: inbound.makeAsyncIterator(), outbound: outbound,
                                  timeout: configuration.commandTimeout, transcript: transcript)
            try await session.expect(nil, "the greeting")
            var capabilities = try await session.hello(configuration.heloName)
            var secured = configuration.security == .tls
            if configuration.security == .starttls {
                guard capabilities["STARTTLS"] != nil else {
                    throw DeliveryFailure(.temporary, "\(configuration.host) does not offer STARTTLS, and security is 'starttls'; use 'tls' on port 465 if the server takes TLS from the start")
                }
                // Nothing may follow the server's answer to STARTTLS before the handshake (RFC 3207
                // §4.2): replies injected there by someone on the path would be taken as the server's.
                startTLS.withLockedValue { $0 = .awaitingReply }
                try await session.expect("STARTTLS", "STARTTLS")
                guard let tls else { throw DeliveryFailure(.permanent, "no TLS context") }
                let connection = channel.channel
                try await connection.eventLoop.submit {
                    try connection.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(configuration.host)),
                                                                      position: .first)
                    startTLS.withLockedValue { $0 = .secured }
                }.get()
                secured = true
                capabilities = try await session.hello(configuration.heloName)
            }
            if let username = configuration.username {
                try await session.authenticate(username: username, password: configuration.password ?? "",
                                               mechanisms: capabilities["AUTH"] ?? [], secured: secured || Self.isLoopback(configuration.host))
            }
            let needsUTF8 = !(from + message.to).allSatisfy(\.isASCII)
            if needsUTF8 && capabilities["SMTPUTF8"] == nil {
                throw DeliveryFailure(.permanent, "the address needs SMTPUTF8 (RFC 6531), which \(configuration.host) does not offer")
            }
            try await session.expect("MAIL FROM:<\(from)>" + (needsUTF8 ? " SMTPUTF8" : ""), "MAIL FROM")
            try await session.expect("RCPT TO:<\(message.to)>", "RCPT TO")
            try await session.expect("DATA", "DATA")
            try await session.expect(MailMessage.dotStuffed(message.rendered()) + ".", "the message", shown: "(message data)")
            _ = try? await session.expect("QUIT", "QUIT")
        }
    }

    /// The name for SNI and certificate checks: the host as configured, nil for an IP address
    /// (SNI names no address; the certificate is then checked against the address).
    static func sniName(_ host: String) -> String? {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 ? nil : host
    }

    /// One conversation: commands out, replies in, each reply awaited at most `timeout` seconds.
    struct Session {
        let channel: any Channel
        var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        let timeout: Double
        let transcript: (@Sendable (String) -> Void)?

        /// Sends `command` (nil: nothing, to read the greeting) and reads its reply, which must be
        /// positive (2xx or 3xx).
        /// - Throws: ``DeliveryFailure``: temporary for a 4xx reply, a timeout or a closed connection;
        ///   permanent for a 5xx reply.
        @discardableResult
        mutating func expect(_ command: String?, _ what: String, shown: String? = nil) async throws -> SMTPReply {
            let reply = try await exchange(command, what, shown: shown)
            guard reply.isPositive else { throw Self.refusal(reply, of: what) }
            return reply
        }

        /// A 4xx reply is temporary, a 5xx permanent (RFC 5321 §4.2.1).
        static func refusal(_ reply: SMTPReply, of what: String) -> DeliveryFailure {
            DeliveryFailure(reply.isTemporary ? .temporary : .permanent, "the SMTP server refused \(what): \(reply)")
        }

        /// Sends `command` (if any) and reads the reply, whatever its code.
        mutating func exchange(_ command: String?, _ what: String, shown: String? = nil) async throws -> SMTPReply {
            if let command {
                transcript?("C: " + (shown ?? command))
                do {
                    try await outbound.write(ByteBuffer(string: command + "\r\n"))
                } catch {
                    // A failed TLS handshake closes the channel; its reason waits in the inbound stream.
                    do { _ = try await replies.next() } catch { throw DeliveryFailure(.temporary, Self.explain(error, at: what)) }
                    throw DeliveryFailure(.temporary, "the SMTP connection closed before \(what): \(error)")
                }
            }
            let timedOut = NIOLockedValueBox(false)
            let channel = self.channel
            let timer = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout * 1000))) {
                timedOut.withLockedValue { $0 = true }
                channel.close(promise: nil)
            }
            defer { timer.cancel() }
            let reply: SMTPReply?
            do {
                reply = try await replies.next()
            } catch let failure as DeliveryFailure {
                throw failure
            } catch {
                throw DeliveryFailure(.temporary, timedOut.withLockedValue { $0 } ? "no reply to \(what) in \(Self.seconds(timeout))" : Self.explain(error, at: what))
            }
            guard let reply else {
                throw DeliveryFailure(.temporary, timedOut.withLockedValue { $0 }
                                      ? "no reply to \(what) in \(Self.seconds(timeout))" : "the SMTP server closed the connection at \(what)")
            }
            transcript?("S: \(reply)")
            return reply
        }

        /// A TLS failure in words an operator can act on; other errors as they are.
        static func explain(_ error: any Error, at what: String) -> String {
            let text = String(describing: error)
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return "the TLS handshake failed: the server's certificate is not signed by a trusted CA (or has expired); if it is your own CA, give its PEM file as email.smtp.ca_file"
            }
            if text.contains("failedToValidateHostname") {
                return "the TLS handshake failed: the server's certificate is not for this host name; set email.smtp.host to a name the certificate holds"
            }
            if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError { return "the TLS handshake failed: \(text)" }
            return "\(what) failed: \(text)"
        }

        static func seconds(_ value: Double) -> String { value == value.rounded() ? "\(Int(value)) s" : "\(value) s" }

        /// `EHLO` (or `HELO` when the server does not know EHLO); returns the capabilities by keyword
        /// (upper case) with their parameters (`AUTH` → `["PLAIN", "LOGIN"]`).
        mutating func hello(_ name: String) async throws -> [String: [String]] {
            let reply = try await exchange("EHLO \(name)", "EHLO")
            if reply.code == 500 || reply.code == 502 {  // EHLO unknown: an RFC 821 server
                try await expect("HELO \(name)", "HELO")
                return [:]
            }
            guard reply.isPositive else { throw Self.refusal(reply, of: "EHLO") }
            var capabilities: [String: [String]] = [:]
            for line in reply.lines.dropFirst() {
                let words = line.split(separator: " ").map { $0.uppercased() }
                if let keyword = words.first { capabilities[keyword] = Array(words.dropFirst()) }
            }
            return capabilities
        }

        /// AUTH PLAIN when offered, else AUTH LOGIN; only over TLS (or to loopback).
        /// - Throws: ``DeliveryFailure``: permanent when neither is offered, the link is not secured, or the credentials are refused (535).
        mutating func authenticate(username: String, password: String, mechanisms: [String], secured: Bool) async throws {
            guard secured else { throw DeliveryFailure(.permanent, "refusing to send the SMTP password over a connection without TLS") }
            if mechanisms.contains("PLAIN") {
                let token = Data(("\0" + username + "\0" + password).utf8).base64EncodedString()
                try await expect("AUTH PLAIN " + token, "AUTH PLAIN", shown: "AUTH PLAIN (credentials)")
            } else if mechanisms.contains("LOGIN") {
                try await expect("AUTH LOGIN", "AUTH LOGIN")
                try await expect(Data(username.utf8).base64EncodedString(), "AUTH LOGIN", shown: "(user name)")
                try await expect(Data(password.utf8).base64EncodedString(), "AUTH LOGIN", shown: "(password)")
            } else {
                throw DeliveryFailure(.permanent, "the SMTP server offers neither AUTH PLAIN nor AUTH LOGIN (it offers \(mechanisms.isEmpty ? "no AUTH at all" : mechanisms.joined(separator: " ")))")
            }
        }
    }
}
