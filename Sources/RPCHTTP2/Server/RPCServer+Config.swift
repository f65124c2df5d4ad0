import Logging
import RPC
import TLSSupport

/// Server settings; every limit with its default (the table in docs/rpc-runtime.md, "Server").
extension RPCServer {
    /// Where handlers run.
    public enum HandlerExecution: Sendable, Hashable {
        /// On the connection's event loop (a task executor preference): no thread hop per call.
        /// Handlers must not block.
        case eventLoop
        /// On Swift's global concurrent executor: one hop to start, one to answer.
        case globalExecutor
    }

    /// Everything a server can be told: where to listen, limits, timers, TLS, admission.
    /// Every field has a default (`Config.defaults`) suited to one orderhub service.
    public struct Config: Sendable {
        /// Address to bind, e.g. `0.0.0.0` or `127.0.0.1`.
        public var host: String
        /// Port to bind; 0 picks a free one (see `start()`'s result).
        public var port: Int
        /// Largest request message (RESOURCE_EXHAUSTED beyond).
        public var maxReceiveMessageSize: Int
        /// Largest response message (INTERNAL beyond).
        public var maxSendMessageSize: Int
        /// SETTINGS_MAX_CONCURRENT_STREAMS; nghttp2 refuses streams beyond it with REFUSED_STREAM.
        public var maxConcurrentStreams: Int
        /// Largest request header list (name + value + 32 per field); RESOURCE_EXHAUSTED beyond.
        public var maxHeaderListSize: Int
        /// Handler tasks that may run at once on one connection, including ones whose stream
        /// was reset but which have not finished yet; streams beyond are refused (REFUSED_STREAM).
        public var maxInFlightHandlersPerConnection: Int
        /// RST_STREAM rate limit (token bucket): burst and refill per second; beyond it, GOAWAY.
        public var streamResetBurst: Int
        /// Tokens added back per second to the RST_STREAM bucket (`streamResetBurst` holds them).
        public var streamResetRatePerSecond: Int
        /// CONTINUATION frames allowed per header block.
        public var maxContinuations: Int
        /// Each call's inbound window: at least 65 535, HTTP/2's initial window (a smaller value
        /// acts as 65 535). A larger one is opened with a WINDOW_UPDATE when the call is accepted,
        /// not advertised in SETTINGS (see `SettingsAckFilter`).
        public var initialWindowSize: Int
        /// The connection-level inbound window, shared by all streams.
        public var connectionWindowSize: Int
        /// The client preface and SETTINGS must arrive within this, or the connection closes.
        public var prefaceTimeout: Duration
        /// A connection with no stream for this long gets GOAWAY and is closed.
        public var idleTimeout: Duration
        /// Open connections per server. From `idleEvictionFraction` of it on, each new
        /// connection evicts the longest-idle one (GOAWAY); at the limit with every connection
        /// busy, new ones are closed at once.
        public var maxConnections: Int
        /// The share of `maxConnections` (0–1) from which idle connections make room for new ones.
        public var idleEvictionFraction: Double = 0.9
        /// A connection that opens no stream within `prefaceTimeout` plus this is closed.
        public var unusedConnectionGrace: Duration = .seconds(5)
        /// When set, a connection is drained (GOAWAY) after about this long, ±`maxConnectionAgeJitter`
        /// of it, so clients rebalance over replicas. Off by default.
        public var maxConnectionAge: Duration?
        /// The random spread of `maxConnectionAge` (0.1: ±10%), so connections opened together do
        /// not all drain at once.
        public var maxConnectionAgeJitter: Double
        /// How long draining connections get to finish their calls before they are closed.
        public var maxConnectionAgeGrace: Duration
        /// Where method handlers run (`.eventLoop` by default).
        public var handlerExecution: HandlerExecution
        /// Where a handler error that is not an `RPCError` is logged (at error level, with the
        /// method and the error) before the client gets a bare INTERNAL. Discards by default.
        public var logger: Logger
        /// TLS for every connection (nil: cleartext HTTP/2). Each new connection takes the
        /// context's current certificate; a handshake that did not agree on ALPN `h2` is closed.
        public var tls: ReloadableTLSContext?
        /// Cleartext only: HTTP/1.1 requests on this listener go to it (a probe port's
        /// `GET /metrics`); connections that open with HTTP/2's preface are gRPC as usual.
        public var http1Responder: HTTP1Responder?
        /// Admission control across all connections (`AdmissionLimiter`): unary calls beyond
        /// its running and queued limits end at once with RESOURCE_EXHAUSTED. Off (nil) by
        /// default; the orderhub services turn it on.
        public var admission: AdmissionLimiter.Config?

        /// Settings with every limit at its default unless given.
        public init(
            host: String = "0.0.0.0",
            port: Int = 0,
            maxReceiveMessageSize: Int = 1 << 20,
            maxSendMessageSize: Int = 4 << 20,
            maxConcurrentStreams: Int = 100,
            maxHeaderListSize: Int = 8192,
            maxInFlightHandlersPerConnection: Int = 100,
            streamResetBurst: Int = 1000,
            streamResetRatePerSecond: Int = 33,
            maxContinuations: Int = 8,
            initialWindowSize: Int = 65_535,
            connectionWindowSize: Int = 1 << 20,
            prefaceTimeout: Duration = .seconds(10),
            idleTimeout: Duration = .seconds(300),
            maxConnections: Int = 1000,
            maxConnectionAge: Duration? = nil,
            maxConnectionAgeJitter: Double = 0.1,
            maxConnectionAgeGrace: Duration = .seconds(30),
            handlerExecution: HandlerExecution = .eventLoop,
            logger: Logger = Logger(label: "orderhub.rpc.server", factory: { _ in SwiftLogNoOpLogHandler() }),
            tls: ReloadableTLSContext? = nil
        ) {
            self.host = host
            self.port = port
            self.maxReceiveMessageSize = maxReceiveMessageSize
            self.maxSendMessageSize = maxSendMessageSize
            self.maxConcurrentStreams = maxConcurrentStreams
            self.maxHeaderListSize = maxHeaderListSize
            self.maxInFlightHandlersPerConnection = maxInFlightHandlersPerConnection
            self.streamResetBurst = streamResetBurst
            self.streamResetRatePerSecond = streamResetRatePerSecond
            self.maxContinuations = maxContinuations
            self.initialWindowSize = initialWindowSize
            self.connectionWindowSize = connectionWindowSize
            self.prefaceTimeout = prefaceTimeout
            self.idleTimeout = idleTimeout
            self.maxConnections = maxConnections
            self.maxConnectionAge = maxConnectionAge
            self.maxConnectionAgeJitter = maxConnectionAgeJitter
            self.maxConnectionAgeGrace = maxConnectionAgeGrace
            self.handlerExecution = handlerExecution
            self.logger = logger
            self.tls = tls
        }

        /// Every setting at its default: all interfaces, a free port, cleartext.
        public static var defaults: Config { Config() }
    }
}
