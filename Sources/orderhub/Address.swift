import RPCHTTP2
import TLSSupport

/// A `host:port` pair from a flag such as `--listen 0.0.0.0:50051`.
struct Address: CustomStringConvertible {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` (`[v6]:port` too); throws naming the option.
    init(parsing text: String, option: String) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw SettingError("\(option) must be host:port, got \"\(text)\"")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw SettingError("\(option) must be host:port, got \"\(text)\"") }
        self.init(host: host, port: port)
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

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
