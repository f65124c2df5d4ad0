import RPCHTTP2
import TLSSupport

/// A service this process calls: its address and, when calls use TLS, the context.
struct Peer: CustomStringConvertible {
    var address: Address
    var tls: ReloadableTLSContext?

    init(address: Address, tls: ReloadableTLSContext? = nil) {
        self.address = address
        self.tls = tls
    }

    /// Client settings for it, with a quick reconnect: its callers wait with deadlines.
    var transportConfig: HTTP2ClientTransport.Config {
        .init(
            host: address.host, port: address.port, connectTimeout: .seconds(2),
            backoffInitial: .milliseconds(100), backoffMaximum: .seconds(2), tls: tls
        )
    }

    var description: String { tls == nil ? address.description : "\(address) (TLS)" }
}
