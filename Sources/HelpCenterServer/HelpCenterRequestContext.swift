import Hummingbird
import NIOCore

/// The request context of the help center server: Hummingbird's, plus the client's address (for
/// the per-client limits of the reset flow; `X-Forwarded-For` is not trusted).
public struct HelpCenterRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address, or `unknown` (in-process tests).
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }

    /// Form bodies are small: 16 KiB at most.
    public var maxUploadSize: Int { 16 * 1024 }
}
