import HelpCenterReset

/// Hands each message to the delivery for its channel: email to one, text messages to another.
public struct ChannelRouter: Delivery {
    let email: any Delivery
    let sms: any Delivery

    public init(email: any Delivery, sms: any Delivery) {
        self.email = email
        self.sms = sms
    }

    public func deliver(_ message: Message) async throws {
        try await (message.channel == .email ? email : sms).deliver(message)
    }
}
