import NIOCore

/// Looks up the addresses behind a host name, for a client whose target is a name rather than
/// a literal IP address. `SystemResolver` (getaddrinfo) is the default; tests and other
/// discovery mechanisms provide their own.
///
/// ```swift
/// var config = HTTP2ClientTransport.Config(host: "payments", port: 50052)
/// config.resolver = SystemResolver()   // the default
/// ```
public protocol NameResolver: Sendable {
    /// Every address of `host`, each with the port to connect to (normally `port`), in the
    /// order to prefer them. Must not block the calling thread; an empty result means the name
    /// currently has no addresses.
    func resolve(host: String, port: Int) async throws -> [SocketAddress]
}
