import NIOCore
import RPC
import TLSSupport

/// Client settings.
extension HTTP2ClientTransport {
    /// Everything a client transport can be told: the server, timeouts, reconnect backoff,
    /// message and window sizes, compression, name resolution and TLS. Only host and port are
    /// required (`Config.defaults(host:port:)`).
    public struct Config: Sendable {
        /// A literal IP address (one connection) or a host name (resolved, and calls balanced
        /// round-robin over one connection per address).
        public var host: String
        /// The server's TCP port.
        public var port: Int
        /// `:authority`; `host:port` by default.
        public var authority: String?
        /// How long a connection attempt may take.
        public var connectTimeout: Duration
        /// Delay before reconnecting after a failed attempt: initial, growth factor, cap, jitter.
        public var backoffInitial: Duration
        /// Each failed attempt multiplies the delay by this.
        public var backoffMultiplier: Double
        /// The delay never grows past this.
        public var backoffMaximum: Duration
        /// The random spread of each delay (0.2: ±20%), so clients do not reconnect in step.
        public var backoffJitter: Double
        /// Largest response message (RESOURCE_EXHAUSTED beyond).
        public var maxReceiveMessageSize: Int
        /// Largest request message (INTERNAL beyond).
        public var maxSendMessageSize: Int
        /// SETTINGS_INITIAL_WINDOW_SIZE for response streams.
        public var initialWindowSize: Int
        /// The connection-level window for responses, shared by all calls.
        public var connectionWindowSize: Int
        /// Compresses request messages of every call with this algorithm (`grpc-encoding`),
        /// unless `CallOptions.compression` names another; nil sends them uncompressed.
        /// Compressed responses are accepted either way.
        public var compression: CompressionAlgorithm?
        /// Deadline for calls whose `CallOptions.timeout` is nil; nil means none.
        public var defaultTimeout: Duration?
        /// Looks up the addresses of a host name (a literal IP address is used as is).
        public var resolver: any NameResolver
        /// How often a host name is resolved again, so added and removed addresses are seen.
        public var resolveInterval: Duration
        /// The least time between two resolutions, including ones a failed connection asks for.
        public var minResolveInterval: Duration
        /// TLS for every connection (nil: cleartext HTTP/2). Each new connection takes the
        /// context's current certificates, so a rotated client certificate is used from then on.
        public var tls: ReloadableTLSContext?
        /// The name the server's certificate must carry (and the SNI sent); by default `host`
        /// when it is a name. A literal IP address is checked against the certificate's IP
        /// addresses instead.
        public var tlsServerName: String?
        /// HTTP/2 PINGs that find a dead connection (by default after 10 s of quiet, 5 s to answer).
        public var keepalive = Keepalive.defaults

        /// Settings for `host:port` with gRPC's usual defaults for the rest (1 s initial backoff up to
        /// 120 s, 4 MiB messages, 5 s connect timeout).
        public init(
            host: String,
            port: Int,
            authority: String? = nil,
            connectTimeout: Duration = .seconds(5),
            backoffInitial: Duration = .seconds(1),
            backoffMultiplier: Double = 1.6,
            backoffMaximum: Duration = .seconds(120),
            backoffJitter: Double = 0.2,
            maxReceiveMessageSize: Int = 4 << 20,
            maxSendMessageSize: Int = 4 << 20,
            initialWindowSize: Int = 65_535,
            connectionWindowSize: Int = 1 << 20,
            defaultTimeout: Duration? = nil,
            compression: CompressionAlgorithm? = nil,
            resolver: any NameResolver = SystemResolver(),
            resolveInterval: Duration = .seconds(30),
            minResolveInterval: Duration = .seconds(1),
            tls: ReloadableTLSContext? = nil,
            tlsServerName: String? = nil
        ) {
            self.host = host
            self.port = port
            self.authority = authority
            self.connectTimeout = connectTimeout
            self.backoffInitial = backoffInitial
            self.backoffMultiplier = backoffMultiplier
            self.backoffMaximum = backoffMaximum
            self.backoffJitter = backoffJitter
            self.maxReceiveMessageSize = maxReceiveMessageSize
            self.maxSendMessageSize = maxSendMessageSize
            self.initialWindowSize = initialWindowSize
            self.connectionWindowSize = connectionWindowSize
            self.defaultTimeout = defaultTimeout
            self.compression = compression
            self.resolver = resolver
            self.resolveInterval = resolveInterval
            self.minResolveInterval = minResolveInterval
            self.tls = tls
            self.tlsServerName = tlsServerName
        }

        /// The SNI and verified name: `tlsServerName`, else `host` unless it is an IP address.
        var tlsServerHostname: String? {
            if let tlsServerName { return tlsServerName }
            return (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
        }

        /// Defaults for a server at `host:port`.
        public static func defaults(host: String, port: Int) -> Config { Config(host: host, port: port) }
    }
}
