import Hummingbird
import Logging

/// The gateway's pod-local plaintext port (`--metrics-listen`) for Kubernetes probes, which
/// cannot speak TLS: the same `GET /livez` (200 while the process serves) and `GET /readyz`
/// (200 when Orders answers SERVING, else 503) as the main port, and `GET /metrics` (the
/// Prometheus text of `gateway.metricsText`). Cleartext HTTP/1.1 only.
///
/// `onServerRunning` gets the bound port (useful with port 0).
public func buildProbeApplication(
    _ gateway: OrdersGateway,
    host: String,
    port: Int,
    logger: Logger? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: BasicRequestContext.self)
    let meta = MetaController<BasicRequestContext>(gateway: gateway)
    router.get("livez", use: meta.liveness)
    router.get("readyz", use: meta.health)
    if let metricsText = gateway.metricsText {
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: await metricsText()))
            )
        }
    }
    let headerReadTimeout = gateway.config.headerReadTimeout
    return Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: [RequestReadTimeoutHandler<HTTPTypesMessages>(timeout: headerReadTimeout)])),
        configuration: .init(address: .hostname(host, port: port), serverName: "orderhub-gateway-probes"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger ?? Logger(label: "orderhub.gateway.probes")
    )
}
