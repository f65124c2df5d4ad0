import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import RPC
import TLSSupport

/// The gateway as a Hummingbird application, listening on `config.host:config.port`.
///
/// `onServerRunning` gets the bound port (useful with port 0). Run it with `run()` (until the
/// task is cancelled) or `runService()` (until SIGINT/SIGTERM).
///
/// With `tls` it serves HTTPS only, offering HTTP/2 and HTTP/1.1 by ALPN; each new connection
/// takes the context's current certificate.
public func buildApplication(
    _ gateway: OrdersGateway,
    tls: ReloadableTLSContext? = nil,
    logger: Logger? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let config = gateway.config
    let limits = RequestReadLimits(
        headerTimeout: config.headerReadTimeout, bodyTimeout: config.bodyReadTimeout, minBodyBytesPerSecond: config.minBodyBytesPerSecond
    )
    let logger = logger ?? Logger(label: "orderhub.gateway")
    let serverName = "orderhub-gateway"
    let shared = SharedLimits(gateway)
    // The contract's unary routes skip the router (`RESTFastPath`); with tracing on, the
    // router's span middleware serves them all.
    let fastPath =
        gateway.traces
        ? nil
        : RESTFastPath(
            gateway: gateway, rateLimiter: shared.rateLimiter, admission: shared.admission, metrics: shared.metrics,
            logger: logger, serverName: serverName)
    // The read timeouts go in front of the HTTP-types codec (`addGatewayHTTP1Rules`), where
    // they see the fast path's requests too.
    let http1 = HTTP1Channel.Configuration()
    let gate = ConnectionGate(limit: config.maxConnections)
    return Application(
        router: buildRouter(gateway, shared: shared),
        server: tls.map {
            .loopPinnedHTTPS(
                tls: $0, headerReadTimeout: config.headerReadTimeout, http1: http1, gate: gate, limits: limits, fastPath: fastPath)
        } ?? .loopPinnedHTTP1(configuration: http1, gate: gate, limits: limits, fastPath: fastPath),
        configuration: .init(address: .hostname(gateway.config.host, port: gateway.config.port), serverName: serverName),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? gateway.config.port) },
        logger: logger
    )
}

/// Every route of the gateway, behind CORS, the error mapping, the rate limit and admission control.
public func buildRouter(_ gateway: OrdersGateway) -> Router<GatewayRequestContext> {
    buildRouter(gateway, shared: SharedLimits(gateway))
}

/// The limiters and instruments the router and `RESTFastPath` share, so a limit holds across both.
struct SharedLimits: Sendable {
    let rateLimiter: RateLimiter?
    let admission: AdmissionLimiter?
    let metrics: HTTPInstrumentCache?

    init(_ gateway: OrdersGateway) {
        rateLimiter = gateway.config.rateLimit.map { RateLimiter(limit: $0, nanosNow: { NIODeadline.now().uptimeNanoseconds }) }
        admission = gateway.config.admission.map { AdmissionLimiter($0) }
        metrics = gateway.recordsMetrics ? HTTPInstrumentCache() : nil
    }
}

func buildRouter(_ gateway: OrdersGateway, shared: SharedLimits) -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    // Outermost, so every answer counts, the ones the middlewares below make included.
    if let metrics = shared.metrics { router.add(middleware: HTTPMetricsMiddleware(cache: metrics)) }
    if gateway.traces { router.add(middleware: TracingMiddleware()) }
    router.add(middleware: CORSMiddleware(allowedOrigins: gateway.config.allowedOrigins))
    router.add(middleware: ErrorMiddleware())
    if let limiter = shared.rateLimiter {
        router.add(middleware: RateLimitMiddleware(limiter: limiter, gateway: gateway))
    }
    if let admission = shared.admission {
        router.add(middleware: AdmissionMiddleware(limiter: admission))
    }
    // The contract's routes (`google.api.http`), ahead of the router's own, and the methods
    // of every path.
    router.add(middleware: MethodMiddleware(contract: ContractRoutes(gateway: gateway)))
    router.addRoutes(LegacyOrdersController(gateway: gateway).endpoints, atPath: "/api/v1/order")
    if let signIn = gateway.devSignIn {
        router.addRoutes(DevSignInController(gateway: gateway, signIn: signIn).endpoints, atPath: "/v1/dev")
    }
    router.addRoutes(MetaController(gateway: gateway).endpoints)
    router.addRoutes(PageController().endpoints)
    return router
}

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
