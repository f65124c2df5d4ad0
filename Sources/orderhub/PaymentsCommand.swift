import ArgumentParser
import Logging

/// The Payments service alone.
struct PaymentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "payments", abstract: "Run the Payments service.")

    @Option(help: "Address to listen on (ORDERHUB_LISTEN; default 127.0.0.1:50052).")
    var listen: String?

    @Option(
        help:
            "Database: sqlite:PATH or postgres://USER@HOST[:PORT]/DB[?schema=NAME] (ORDERHUB_DB; default sqlite:./data/payments.db; password from ORDERHUB_DB_PASSWORD_FILE)."
    )
    var db: String?

    @Option(
        help:
            "Cleartext address for the health service (Kubernetes probes) and GET /metrics, local to the pod (ORDERHUB_METRICS_LISTEN; default 127.0.0.1:9052)."
    )
    var metricsListen: String?

    @OptionGroup var tls: ListenerTLSOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var common: CommonOptions
    @OptionGroup var limits: ServerLimitOptions
    @OptionGroup var payments: PaymentsOptions

    func run() async throws {
        let logger = LogSetup.bootstrap(level: try common.level())
        OpenFileLimit.raiseToHardLimit(logger: logger)
        let telemetry = try common.telemetry(serviceName: "orderhub-payments", logger: logger)
        guard let secret = try common.secret() else {
            throw SettingError("a service secret is required: --service-secret-file or ORDERHUB_SERVICE_SECRET")
        }
        let processor = try payments.config()
        let address = try Address(parsing: Setting.string(listen, env: "ORDERHUB_LISTEN", default: "127.0.0.1:50052"), option: "--listen")
        var server = try limits.config(listen: address)
        server.tls = try tls.context(applicationProtocols: ["h2"], logger: logger)
        // Refused TLS handshakes (e.g. a missing client certificate) and handler failures.
        server.logger = logger
        let service = try await PaymentsLaunch.start(
            listen: address, server: server, metrics: try HealthListener.address(metricsListen, default: "127.0.0.1:9052"),
            database: try DatabaseLocation(
                parsing: Setting.string(db, env: "ORDERHUB_DB", default: "sqlite:./data/payments.db"), connectTimeout: database.connectTimeout()
            ),
            secret: secret, approvalRate: processor.approvalRate, seed: processor.seed, drain: try common.drain(), telemetry: telemetry, logger: logger
        )
        try await ProcessLifecycle.run([service], logger: logger)
        await telemetry.shutdown()
    }
}
