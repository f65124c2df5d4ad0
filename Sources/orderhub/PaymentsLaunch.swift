import Contracts
import Health
import CoreMetrics
import Logging
import Observability
import Payments
import RPC
import RPCHTTP2
import ServiceAuth
import ServiceLifecycle

/// Starts the Payments service: its database, its domain, its gRPC server (listening when this
/// returns).
enum PaymentsLaunch {
    static func start(
        listen: Address, server serverConfig: RPCServer.Config, metrics: Address?, database: DatabaseLocation, secret: String, approvalRate: Double,
        seed: UInt64?, drain: Duration, telemetry: Telemetry, logger: Logger
    ) async throws -> Launched {
        var serviceLogger = logger
        serviceLogger[metadataKey: "service"] = "payments"
        let logger = serviceLogger
        try database.prepare()
        let store = try await PaymentStoreFactory.open(database.store, connectTimeout: database.connectTimeout, logger: logger)
        let system = PaymentSystem(store: store, config: .init(approvalRate: approvalRate, seed: seed), logger: logger)
        let verifier = ServiceTokenVerifier(secret: secret, issuer: ServiceIdentity.orders, audience: ServiceIdentity.payments)
        let (router, health) = ServiceListeners.router(
            serving: PaymentsServiceHandler(system: system, verifier: verifier, logger: logger), name: "orderhub.v1.Payments", telemetry: telemetry
        )
        // Readiness: NOT_SERVING while the database does not answer.
        let readiness = Readiness(health: health, service: "orderhub.v1.Payments")
        let databaseWatch = readiness.watchDatabase(every: DatabaseLocation.checkInterval, logger: logger) {
            _ = try await store.payment(id: "")
        }
        let server = RPCServer(router: router, config: serverConfig)
        let probes = try await ServiceListeners.start(
            server, service: "Payments", listen: listen, metrics: metrics, health: health, telemetry: telemetry,
            databaseWatch: databaseWatch, logger: logger, close: { try? await store.close() }
        )
        let connections = Gauge(label: "orderhub_connections", dimensions: [("listener", "payments")])
        telemetry.metrics.refreshBeforeScrape { connections.record(server.connectionCount) }
        let bound = Address(host: listen.host, port: server.port ?? listen.port)
        logger.info("payments listening", metadata: ["address": "\(bound)", "db": "\(database)", "tls": "\(serverConfig.tls != nil)"])
        // Stopped in reverse: the server drains, then the probes stop, then the database closes.
        let services: [any Service] = [
            ShutdownStep {
                do { try await store.close() } catch { logger.error("closing the database failed", metadata: ["error": "\(error)"]) }
                logger.info("payments stopped")
            },
            ShutdownStep { await probes?.shutdown(gracePeriod: .zero) },
            ShutdownStep {
                health.enterShutdown()
                databaseWatch.cancel()
                await server.shutdown(gracePeriod: drain)
            },
        ]
        return Launched(
            name: "payments", address: { bound.description }, database: database.description,
            scheme: serverConfig.tls == nil ? "grpc" : "grpcs", services: services
        )
    }
}
