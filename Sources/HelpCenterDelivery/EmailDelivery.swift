import HelpCenterReset

/// Delivers the reset flow's email messages through SMTP or sendmail, as a `multipart/alternative`
/// message: the text the flow wrote and an HTML part made from it by `html` (the theme's
/// `email.mustache`). Text messages go elsewhere (``ChannelRouter``).
public struct EmailDelivery: Delivery {
    public enum Transport: Sendable {
        case smtp(SMTPClient)
        case sendmail(SendmailTransport)
    }

    public let transport: Transport
    /// `From:` and the envelope sender: an address or `Name <address>`.
    public let from: String
    let html: @Sendable (Message) -> String?

    public init(transport: Transport, from: String, html: @escaping @Sendable (Message) -> String?) {
        self.transport = transport
        self.from = from
        self.html = html
    }

    /// - Throws: ``DeliveryFailure`` from the transport.
    public func deliver(_ message: Message) async throws {
        try await send(mail(for: message))
    }

    /// The email for `message`.
    public func mail(for message: Message) -> MailMessage {
        MailMessage(from: from, to: message.to, subject: message.subject, text: message.body, html: html(message), date: message.sentAt)
    }

    /// Sends `mail` through the transport; `transcript` sees the SMTP conversation (not sendmail's).
    /// - Throws: ``DeliveryFailure``.
    public func send(_ mail: MailMessage, transcript: (@Sendable (String) -> Void)? = nil) async throws {
        switch transport {
        case .smtp(let client): try await client.send(mail, transcript: transcript)
        case .sendmail(let sendmail): try await sendmail.send(mail)
        }
    }
}
