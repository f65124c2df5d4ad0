import Hummingbird
import Logging

/// The gateway as a Hummingbird application, listening on `config.host:config.port`.
///
/// `onServerRunning` gets the bound port (useful with port 0). Run it with `run()` (until the
/// task is cancelled) or `runService()` (until SIGINT/SIGTERM).
public func buildApplication(
    _ gateway: OrdersGateway,
    logger: Logger? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let headerReadTimeout = gateway.config.headerReadTimeout
    return Application(
        router: buildRouter(gateway),
        server: .loopPinnedHTTP1(configuration: .init(additionalChannelHandlers: [HeaderReadTimeoutHandler(timeout: headerReadTimeout)])),
        configuration: .init(address: .hostname(gateway.config.host, port: gateway.config.port), serverName: "orderhub-gateway"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? gateway.config.port) },
        logger: logger ?? Logger(label: "orderhub.gateway")
    )
}

/// Every route of the gateway, behind CORS and the error mapping.
public func buildRouter(_ gateway: OrdersGateway) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: CORSMiddleware(allowedOrigins: gateway.config.allowedOrigins))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: MethodMiddleware())
    router.addRoutes(OrdersController(gateway: gateway).endpoints, atPath: "/v1/orders")
    router.addRoutes(LegacyOrdersController(gateway: gateway).endpoints, atPath: "/api/v1/order")
    if let signIn = gateway.devSignIn {
        router.addRoutes(DevSignInController(gateway: gateway, signIn: signIn).endpoints, atPath: "/v1/dev")
    }
    router.addRoutes(MetaController(gateway: gateway).endpoints)
    router.addRoutes(PageController().endpoints)
    return router
}
