import Contracts
import Health
import Reflection
import Logging
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
        seed: UInt64?, drain: Duration, logger: Logger
    ) async throws -> Launched {
        var serviceLogger = logger
        serviceLogger[metadataKey: "service"] = "payments"
        let logger = serviceLogger
        try database.prepare()
        let store = try await PaymentStoreFactory.open(database.store, connectTimeout: database.connectTimeout, logger: logger)
        let system = PaymentSystem(store: store, config: .init(approvalRate: approvalRate, seed: seed), logger: logger)
        let verifier = ServiceTokenVerifier(secret: secret, issuer: ServiceIdentity.orders, audience: ServiceIdentity.payments)
        var router = RPCRouter()
        router.register(PaymentsServiceHandler(system: system, verifier: verifier, logger: logger))
        // grpc.health.v1 for probes (unauthenticated, like every health check).
        let health = HealthStatusService(statuses: ["": .serving, "orderhub.v1.Payments": .serving])
        router.register(health)
        // Server reflection (no token, like health): grpcurl and friends need no .proto files.
        router.register(ReflectionService())
        let server = RPCServer(router: router, config: serverConfig)
        do {
            try await server.start()
        } catch {
            try? await store.close()
            throw SettingError("Payments cannot listen on \(listen): \(error)")
        }
        var probeServer: RPCServer?
        if let metrics {
            do {
                probeServer = try await HealthListener.start(health: health, at: metrics, logger: logger)
            } catch {
                await server.shutdown(gracePeriod: .zero)
                try? await store.close()
                throw error
            }
        }
        let probes = probeServer
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
                await server.shutdown(gracePeriod: drain)
            },
        ]
        return Launched(
            name: "payments", address: { bound.description }, database: database.description,
            scheme: serverConfig.tls == nil ? "grpc" : "grpcs", services: services
        )
    }
}
