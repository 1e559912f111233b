import HelpCenterReset

/// Delivers text messages through an ``SMSGateway``.
public struct SMSDelivery: Delivery {
    public let gateway: SMSGateway

    public init(gateway: SMSGateway) {
        self.gateway = gateway
    }

    /// - Throws: ``DeliveryFailure`` from the gateway.
    public func deliver(_ message: Message) async throws {
        try await gateway.send(id: message.id, to: message.to, text: message.body)  // signed at the real time of sending
    }
}
