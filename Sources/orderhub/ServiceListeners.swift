import Health
import Logging
import Observability
import Reflection
import RPC
import RPCHTTP2

/// The pod-local cleartext listener (`--metrics-listen`) that serves `grpc.health.v1.Health`
/// from the same status board as the main listener: Kubernetes' native gRPC probes cannot speak
/// TLS, so they point here. `GET /metrics` (HTTP/1.1) shares the port: the server reads each
/// connection's first bytes (HTTP/2's client preface, or a request line) to pick the protocol.
enum HealthListener {
    /// Starts it; throws naming the address when it cannot listen.
    static func start(health: HealthStatusService, at address: Address, endpoint: MetricsEndpoint, logger: Logger) async throws -> RPCServer {
        var router = RPCRouter()
        router.register(health)
        var config = RPCServer.Config(host: address.host, port: address.port)
        // A probe a few times a minute: a handful of connections is plenty.
        config.maxConnections = 64
        // `GET /metrics` over HTTP/1.1 on the same port.
        config.http1Responder = endpoint.responder
        let server = RPCServer(router: router, config: config)
        do {
            try await server.start()
        } catch {
            throw SettingError("cannot serve health on \(address) (--metrics-listen): \(error)")
        }
        logger.info("health and metrics listening (cleartext)", metadata: ["address": "\(address.host):\(server.port ?? address.port)"])
        return server
    }

    /// The `--metrics-listen` address: the flag, else ORDERHUB_METRICS_LISTEN, else `fallback`.
    static func address(_ flag: String?, default fallback: String) throws -> Address {
        try Address(parsing: Setting.string(flag, env: "ORDERHUB_METRICS_LISTEN", default: fallback), option: "--metrics-listen")
    }
}

/// What the Orders and Payments processes serve alike around their own gRPC service.
enum ServiceListeners {
    /// The router of a service process: `service`; `grpc.health.v1` (unauthenticated, like
    /// every health check) with the whole server and `name` SERVING, for probes and the
    /// gateway's `/healthz`; server reflection (no token either: grpcurl and friends need no
    /// .proto files). Every method is observed (metrics, and spans when tracing is on).
    static func router(serving service: some RPCService, name: String, telemetry: Telemetry) -> (router: RPCRouter, health: HealthStatusService) {
        var router = RPCRouter()
        router.register(service)
        let health = HealthStatusService(statuses: ["": .serving, name: .serving])
        router.register(health)
        router.register(ReflectionService())
        return (RPCServerObserver(settings: telemetry.settings).observe(router), health)
    }

    /// Starts `server` and, given a `metrics` address, the health and metrics listener next to
    /// it, which it returns. When either cannot listen, the launch is undone before the error
    /// is thrown: `databaseWatch` is cancelled, a started `server` stopped at once, then
    /// `close` runs (the service's clients and database).
    static func start(
        _ server: RPCServer, service: String, listen: Address, metrics: Address?, health: HealthStatusService, telemetry: Telemetry,
        databaseWatch: Task<Void, Never>, logger: Logger, close: () async -> Void
    ) async throws -> RPCServer? {
        do {
            try await server.start()
        } catch {
            databaseWatch.cancel()
            await close()
            throw SettingError("\(service) cannot listen on \(listen): \(error)")
        }
        guard let metrics else { return nil }
        do {
            return try await HealthListener.start(health: health, at: metrics, endpoint: telemetry.metrics, logger: logger)
        } catch {
            databaseWatch.cancel()
            await server.shutdown(gracePeriod: .zero)
            await close()
            throw error
        }
    }
}
