import ArgumentParser
import Logging

/// The Orders service alone.
struct OrdersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "orders", abstract: "Run the Orders service.")

    @Option(help: "Address to listen on (ORDERHUB_LISTEN; default 127.0.0.1:50051).")
    var listen: String?

    @Option(
        help:
            "Database: sqlite:PATH or postgres://USER@HOST[:PORT]/DB[?schema=NAME] (ORDERHUB_DB; default sqlite:./data/orders.db; password from ORDERHUB_DB_PASSWORD_FILE)."
    )
    var db: String?

    @Option(help: "Payments' address (ORDERHUB_PAYMENTS_ADDRESS; default 127.0.0.1:50052).")
    var paymentsAddress: String?

    @Option(
        help:
            "Cleartext address for the health service (Kubernetes probes) and GET /metrics, local to the pod (ORDERHUB_METRICS_LISTEN; default 127.0.0.1:9051)."
    )
    var metricsListen: String?

    @OptionGroup var tls: ListenerTLSOptions
    @OptionGroup var paymentsTLS: ClientTLSOptions
    @OptionGroup var keepalive: KeepaliveOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var common: CommonOptions
    @OptionGroup var limits: ServerLimitOptions
    @OptionGroup var orders: OrdersOptions
    @OptionGroup var userAuth: UserAuthOptions

    func run() async throws {
        let logger = LogSetup.bootstrap(level: try common.level())
        OpenFileLimit.raiseToHardLimit(logger: logger)
        let telemetry = try common.telemetry(serviceName: "orderhub-orders", logger: logger)
        guard let secret = try common.secret() else {
            throw SettingError("a service secret is required: --service-secret-file or ORDERHUB_SERVICE_SECRET")
        }
        let address = try Address(parsing: Setting.string(listen, env: "ORDERHUB_LISTEN", default: "127.0.0.1:50051"), option: "--listen")
        var server = try limits.config(listen: address)
        server.tls = try tls.context(applicationProtocols: ["h2"], logger: logger)
        // Refused TLS handshakes (e.g. a missing client certificate) and handler failures.
        server.logger = logger
        let authentication = try await userAuth.authentication(logger: logger)
        let service = try await OrdersLaunch.start(
            listen: address, server: server, metrics: try HealthListener.address(metricsListen, default: "127.0.0.1:9051"),
            database: try DatabaseLocation(
                parsing: Setting.string(db, env: "ORDERHUB_DB", default: "sqlite:./data/orders.db"), connectTimeout: database.connectTimeout()
            ),
            secret: secret,
            payments: Peer(
                address: try Address(
                    parsing: Setting.string(paymentsAddress, env: "ORDERHUB_PAYMENTS_ADDRESS", default: "127.0.0.1:50052"), option: "--payments-address"),
                tls: try paymentsTLS.context(peer: "PAYMENTS", reloadInterval: try tls.reloadInterval(), logger: logger),
                keepalive: try keepalive.config()
            ),
            behaviour: try orders.config(), authentication: authentication, drain: try common.drain(), telemetry: telemetry, logger: logger
        )
        try await ProcessLifecycle.run([service], logger: logger)
        await telemetry.shutdown()
    }
}
