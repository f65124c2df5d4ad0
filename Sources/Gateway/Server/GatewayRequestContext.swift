import Hummingbird
import NIOCore

/// The request context of every gateway route: Hummingbird's core storage plus the peer's
/// address, which the rate limit keys anonymous clients by.
public struct GatewayRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's socket address; nil for an in-memory test channel.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
