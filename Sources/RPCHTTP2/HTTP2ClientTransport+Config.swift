/// Client settings.
extension HTTP2ClientTransport {
    public struct Config: Sendable {
        public var host: String
        public var port: Int
        /// `:authority`; `host:port` by default.
        public var authority: String?
        /// How long a connection attempt may take.
        public var connectTimeout: Duration
        /// Delay before reconnecting after a failed attempt: initial, growth factor, cap, jitter.
        public var backoffInitial: Duration
        public var backoffMultiplier: Double
        public var backoffMaximum: Duration
        public var backoffJitter: Double
        /// Largest response message (RESOURCE_EXHAUSTED beyond).
        public var maxReceiveMessageSize: Int
        /// Largest request message (INTERNAL beyond).
        public var maxSendMessageSize: Int
        /// SETTINGS_INITIAL_WINDOW_SIZE for response streams.
        public var initialWindowSize: Int
        /// The connection-level window for responses, shared by all calls.
        public var connectionWindowSize: Int
        /// Deadline for calls whose `CallOptions.timeout` is nil; nil means none.
        public var defaultTimeout: Duration?

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
            defaultTimeout: Duration? = nil
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
        }

        /// Defaults for a server at `host:port`.
        public static func defaults(host: String, port: Int) -> Config { Config(host: host, port: port) }
    }
}
