import Health
import Logging
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
