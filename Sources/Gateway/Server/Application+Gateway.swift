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
    let limits = RequestReadTimeoutHandler.Limits(
        headerTimeout: config.headerReadTimeout, bodyTimeout: config.bodyReadTimeout, minBodyBytesPerSecond: config.minBodyBytesPerSecond
    )
    let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [RequestReadTimeoutHandler(limits: limits)])
    let gate = ConnectionGate(limit: config.maxConnections)
    return Application(
        router: buildRouter(gateway),
        server: tls.map { .loopPinnedHTTPS(tls: $0, headerReadTimeout: config.headerReadTimeout, http1: http1, gate: gate) }
            ?? .loopPinnedHTTP1(configuration: http1, gate: gate),
        configuration: .init(address: .hostname(gateway.config.host, port: gateway.config.port), serverName: "orderhub-gateway"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? gateway.config.port) },
        logger: logger ?? Logger(label: "orderhub.gateway")
    )
}

/// Every route of the gateway, behind CORS, the error mapping, the rate limit and admission control.
public func buildRouter(_ gateway: OrdersGateway) -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    // Outermost, so every answer counts, the ones the middlewares below make included.
    if gateway.recordsMetrics { router.add(middleware: HTTPMetricsMiddleware()) }
    if gateway.traces { router.add(middleware: TracingMiddleware()) }
    router.add(middleware: CORSMiddleware(allowedOrigins: gateway.config.allowedOrigins))
    router.add(middleware: ErrorMiddleware())
    if let limit = gateway.config.rateLimit {
        let limiter = RateLimiter(limit: limit, nanosNow: { NIODeadline.now().uptimeNanoseconds })
        router.add(middleware: RateLimitMiddleware(limiter: limiter, gateway: gateway))
    }
    if let admission = gateway.config.admission {
        router.add(middleware: AdmissionMiddleware(limiter: AdmissionLimiter(admission)))
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
