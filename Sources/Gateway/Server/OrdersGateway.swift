import Contracts
import RPC

/// The REST gateway in front of the Orders service: its settings and the client it calls.
///
/// Every request becomes one RPC on `orders` with `config.rpcTimeout` as its deadline (the SSE
/// stream has none), carrying the request's `Authorization` header as `authorization`
/// metadata: Orders verifies it and decides what the caller may do; the gateway takes no
/// other header as identity. The executable hands it a transport or ready-made clients; tests hand it an
/// in-process fake transport.
///
/// ```swift
/// let gateway = OrdersGateway(config: .defaults, transport: transport)
/// try await buildApplication(gateway).run()
/// ```
public struct OrdersGateway: Sendable {
    /// Gateway settings; every limit is configurable.
    public struct Config: Sendable {
        /// Address to listen on.
        public var host: String
        /// Port to listen on; 0 picks a free one.
        public var port: Int
        /// Deadline of each RPC made for a request (not for the SSE stream).
        public var rpcTimeout: Duration
        /// Largest request body; a larger one is refused with 413.
        public var maxBodyBytes: Int
        /// A connection must deliver a complete request head within this time of opening (or of
        /// its previous response ending); otherwise it is closed. Stops slowloris clients.
        public var headerReadTimeout: Duration
        /// How often an SSE stream sends a comment line, so proxies keep it open and a vanished
        /// client is noticed.
        public var heartbeatInterval: Duration
        /// Origins allowed by CORS; `["*"]` allows any.
        public var allowedOrigins: [String]
        /// The name `/healthz` asks `grpc.health.v1.Health/Check` about.
        public var healthService: String
        /// Defaults for the original exercise's `POST /api/v1/order`, whose body has only
        /// `orderItems` (strings).
        public var legacy: LegacyDefaults
        /// Requests per client beyond which the gateway answers 429 with `Retry-After`; nil
        /// (the default) sets no limit.
        public var rateLimit: RateLimit? = nil
        /// Open event streams (Server-Sent Events) the gateway holds at most; 429 beyond.
        public var maxEventStreams: Int = 2_000
        /// Open event streams one client (token subject, else address) holds at most; 429 beyond.
        public var maxEventStreamsPerClient: Int = 100
        /// A request body must arrive within this of its head, plus a second for every
        /// `minBodyBytesPerSecond` bytes received; otherwise the connection is closed.
        public var bodyReadTimeout: Duration = .seconds(10)
        /// The slowest body upload the gateway waits for beyond `bodyReadTimeout`.
        public var minBodyBytesPerSecond: Int = 8192
        /// Open client connections at most; more are closed at once.
        public var maxConnections: Int = 4096

        /// Every setting spelled out; start from `defaults` and change what differs.
        public init(
            host: String, port: Int, rpcTimeout: Duration, maxBodyBytes: Int, headerReadTimeout: Duration,
            heartbeatInterval: Duration, allowedOrigins: [String], healthService: String, legacy: LegacyDefaults
        ) {
            self.host = host
            self.port = port
            self.rpcTimeout = rpcTimeout
            self.maxBodyBytes = maxBodyBytes
            self.headerReadTimeout = headerReadTimeout
            self.heartbeatInterval = heartbeatInterval
            self.allowedOrigins = allowedOrigins
            self.healthService = healthService
            self.legacy = legacy
        }

        /// Port 8000 on all interfaces, 5 s RPC deadline, 1 MiB bodies, 10 s to send a header.
        public static var defaults: Config {
            Config(
                host: "0.0.0.0", port: 8000, rpcTimeout: .seconds(5), maxBodyBytes: 1 << 20,
                headerReadTimeout: .seconds(10), heartbeatInterval: .seconds(15), allowedOrigins: ["*"],
                healthService: "orderhub.v1.Orders", legacy: .defaults
            )
        }
    }

    /// A per-client request rate: `requestsPerSecond` on average, `burst` at once.
    public struct RateLimit: Sendable, Equatable {
        /// Sustained rate; more than 0.
        public var requestsPerSecond: Double
        /// Requests a quiet client may send at once; at least 1.
        public var burst: Int

        public init(requestsPerSecond: Double, burst: Int) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
        }
    }

    /// What an order created through the original exercise's route gets for the fields its
    /// body cannot carry. The seed hard-coded its user id to 12345.
    public struct LegacyDefaults: Sendable {
        /// The seed's orders had no customer: its user id was hard-coded to 12345.
        public var customerID: String
        /// The seed had no prices or currency; line items get price 0 in this currency.
        public var currency: String
        /// The seed's payment was a mock; `tok_random` lets Payments approve at random.
        public var paymentToken: String

        /// Every default spelled out.
        public init(customerID: String, currency: String, paymentToken: String) {
            self.customerID = customerID
            self.currency = currency
            self.paymentToken = paymentToken
        }

        /// Customer 12345, USD, `tok_random`.
        public static var defaults: LegacyDefaults {
            LegacyDefaults(customerID: "12345", currency: "USD", paymentToken: "tok_random")
        }
    }

    /// The gateway's settings.
    public var config: Config
    /// The Orders service every REST call becomes an RPC on.
    public let orders: OrdersClient
    /// The untyped client under `orders`: the contract's routes wrap it in the client of the
    /// service each calls (`RESTContract`).
    var rpcClient: RPCClient { orders.client }
    /// `grpc.health.v1.Health` on the Orders server, for `/healthz`.
    public let health: HealthClient
    /// When set, `POST /v1/dev/sign-in` hands out customer tokens (local use only).
    public var devSignIn: DevSignIn?

    /// The subject of a bearer token the gateway has verified, or nil: what the rate limit and
    /// stream caps count a client by. Without a verifier every client is its address.
    public var verifiedSubject: @Sendable (String) async -> String? = { _ in nil }
    /// The open event streams, counted against `config`'s caps.
    let eventStreams: EventStreamSlots

    /// A gateway on ready-made clients.
    public init(config: Config = .defaults, orders: OrdersClient, health: HealthClient) {
        self.config = config
        self.orders = orders
        self.health = health
        self.eventStreams = EventStreamSlots(total: config.maxEventStreams, perClient: config.maxEventStreamsPerClient)
    }

    /// Both clients on one transport to the Orders server.
    public init(config: Config = .defaults, transport: any ClientTransport) {
        self.init(config: config, orders: OrdersClient(transport: transport), health: HealthClient(transport: transport))
    }
}
