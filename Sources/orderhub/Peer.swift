import RPCHTTP2
import TLSSupport

/// A service this process calls: its address and, when calls use TLS, the context.
struct Peer: CustomStringConvertible {
    var address: Address
    var tls: ReloadableTLSContext?
    /// PINGs that find a dead connection to it.
    var keepalive: HTTP2ClientTransport.Keepalive

    init(address: Address, tls: ReloadableTLSContext? = nil, keepalive: HTTP2ClientTransport.Keepalive = .defaults) {
        self.address = address
        self.tls = tls
        self.keepalive = keepalive
    }

    /// Client settings for it, with a quick reconnect: its callers wait with deadlines.
    var transportConfig: HTTP2ClientTransport.Config {
        var config = HTTP2ClientTransport.Config(
            host: address.host, port: address.port, connectTimeout: .seconds(2),
            backoffInitial: .milliseconds(100), backoffMaximum: .seconds(2), tls: tls
        )
        config.keepalive = keepalive
        return config
    }

    var description: String { tls == nil ? address.description : "\(address) (TLS)" }
}
