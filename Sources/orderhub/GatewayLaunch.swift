import Gateway
import Hummingbird
import Logging
import Observability
import RPCHTTP2
import ServiceLifecycle
import TLSSupport

/// Launches the REST gateway: a client transport to Orders and the Hummingbird server, with its
/// plaintext probe port when `probes` is given. The servers listen when the process's group
/// runs them.
enum GatewayLaunch {
    static func start(
        listen: Address, tls: ReloadableTLSContext? = nil, probes: Address? = nil, orders: Peer, config: OrdersGateway.Config,
        devSignIn: DevSignIn? = nil, verifiedSubject: (@Sendable (String) async -> String?)? = nil, drain: Duration, telemetry: Telemetry, logger: Logger
    ) -> Launched {
        var serviceLogger = logger
        serviceLogger[metadataKey: "service"] = "gateway"
        let logger = serviceLogger
        var config = config
        config.host = listen.host
        config.port = listen.port
        // A connection per event loop: a request's RPC stays on the thread that read it.
        let transport = LoopLocalClientTransport(config: orders.transportConfig)
        var gateway = OrdersGateway(config: config, transport: RPCClientObserver.wrap(transport, settings: telemetry.settings))
        gateway.recordsMetrics = telemetry.settings.metrics
        gateway.traces = telemetry.settings.tracing
        if telemetry.metrics.enabled { gateway.metricsText = { [metrics = telemetry.metrics] in await metrics.render() } }
        gateway.devSignIn = devSignIn
        if let verifiedSubject { gateway.verifiedSubject = verifiedSubject }
        let gatewayConfig = gateway
        let main = ListeningApplication(name: "the gateway", at: listen, grace: drain) { onRunning in
            buildApplication(
                gatewayConfig, tls: tls, logger: logger,
                onServerRunning: { port in
                    logger.info(
                        "gateway listening",
                        metadata: [
                            "address": "\(Address(host: listen.host, port: port))", "orders": "\(orders)", "tls": "\(tls != nil)",
                            "probes": "\(probes.map { "\($0)" } ?? "off")",
                        ])
                    await onRunning(port)
                })
        }
        // Stopped after the servers: the transport outlives the requests in flight.
        var services: [any Service] = [
            ShutdownStep {
                await transport.close()
                logger.info("gateway stopped")
            }
        ]
        if let probes {
            services.append(
                ListeningApplication(name: "the gateway's probe port (--metrics-listen)", at: probes, grace: drain) { onRunning in
                    buildProbeApplication(gatewayConfig, host: probes.host, port: probes.port, logger: logger, onServerRunning: onRunning)
                })
        }
        services.append(main)
        return Launched(
            name: "gateway", address: { Address(host: listen.host, port: try await main.port()).description },
            database: "orders at \(orders)", scheme: tls == nil ? "http" : "https", services: services,
            metrics: telemetry.metrics.enabled ? probes.map { "http://\(Banner.reachable($0.description))/metrics" } : nil
        )
    }
}
