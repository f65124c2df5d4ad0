import Gateway
import Hummingbird
import Logging
import Observability
import RPCHTTP2
import TLSSupport

/// Starts the REST gateway: a client transport to Orders and the Hummingbird server, with its
/// plaintext probe port when `probes` is given.
enum GatewayLaunch {
    static func start(
        listen: Address, tls: ReloadableTLSContext? = nil, probes: Address? = nil, orders: Peer, config: OrdersGateway.Config,
        devSignIn: DevSignIn? = nil, verifiedSubject: (@Sendable (String) async -> String?)? = nil, telemetry: Telemetry, logger: Logger
    ) async throws -> RunningService {
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
        let main: RunningApplication
        do {
            main = try await RunningApplication.start(name: "the gateway", at: listen, logger: logger) { onRunning in
                buildApplication(gateway, tls: tls, logger: logger, onServerRunning: onRunning)
            }
        } catch {
            await transport.close()
            throw error
        }
        var probeApplication: RunningApplication?
        if let probes {
            do {
                probeApplication = try await RunningApplication.start(name: "the gateway's probe port (--metrics-listen)", at: probes, logger: logger) { onRunning in
                    buildProbeApplication(gateway, host: probes.host, port: probes.port, logger: logger, onServerRunning: onRunning)
                }
            } catch {
                await main.stop()
                await transport.close()
                throw error
            }
        }
        let probeServer = probeApplication
        let address = Address(host: listen.host, port: main.port)
        logger.info("gateway listening", metadata: [
            "address": "\(address)", "orders": "\(orders)", "tls": "\(tls != nil)",
            "probes": "\(probeServer.map { "\(probes?.host ?? ""):\($0.port)" } ?? "off")",
        ])
        let probesAddress = probeServer.map { Address(host: probes?.host ?? "127.0.0.1", port: $0.port).description }
        return RunningService(name: "gateway", address: address.description, database: "orders at \(orders)", scheme: tls == nil ? "http" : "https",
                              probesAddress: probesAddress) { grace in
            // Requests in flight finish (within the drain period); no error for a clean stop.
            await main.stop(grace: grace)
            await probeServer?.stop()
            await transport.close()
            logger.info("gateway stopped")
        }
    }
}
