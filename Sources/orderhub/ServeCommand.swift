import ArgumentParser
import Gateway
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Everything in one process on the default ports, with SQLite under a data directory: the
/// local run (`make run`).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run Payments and Orders in one process (the local all-in-one run)."
    )

    @Option(help: "Directory for orders.db and payments.db (ORDERHUB_DATA_DIR; default ./data).")
    var dataDir: String?

    @Option(help: "Orders' address (ORDERHUB_ORDERS_LISTEN; default 127.0.0.1:50051).")
    var ordersListen: String?

    @Option(help: "Payments' address (ORDERHUB_PAYMENTS_LISTEN; default 127.0.0.1:50052).")
    var paymentsListen: String?

    @Option(help: "The REST gateway's address, host:port or :port (ORDERHUB_GATEWAY_LISTEN; default :8000).")
    var gatewayListen: String?

    @Option(
        help:
            "Cleartext address for GET /metrics (every service's metrics, one registry), /livez and /readyz (ORDERHUB_METRICS_LISTEN; default 127.0.0.1:9000).")
    var metricsListen: String?

    @OptionGroup var tls: ListenerTLSOptions
    @OptionGroup var clientTLS: ClientTLSOptions
    @OptionGroup var keepalive: KeepaliveOptions
    @OptionGroup var common: CommonOptions
    @OptionGroup var limits: ServerLimitOptions
    @OptionGroup var orders: OrdersOptions
    @OptionGroup var payments: PaymentsOptions
    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var userAuth: UserAuthOptions

    func run() async throws {
        let logger = LogSetup.bootstrap(level: try common.level())
        OpenFileLimit.raiseToHardLimit(logger: logger)
        let telemetry = try common.telemetry(serviceName: "orderhub", logger: logger)
        let dataDir = Setting.string(dataDir, env: "ORDERHUB_DATA_DIR", default: "./data")
        let ordersAddress = try Address(
            parsing: Setting.string(ordersListen, env: "ORDERHUB_ORDERS_LISTEN", default: "127.0.0.1:50051"), option: "--orders-listen")
        let paymentsAddress = try Address(
            parsing: Setting.string(paymentsListen, env: "ORDERHUB_PAYMENTS_LISTEN", default: "127.0.0.1:50052"), option: "--payments-listen")
        // Both services live here, so a fresh random secret is as good as a shared one.
        let secret = try common.secret() ?? ServiceSecret.random()
        let processor = try payments.config()
        // TLS on every hop when given a certificate: the listeners serve it, the internal calls
        // (gateway → Orders → Payments) verify it with --tls-ca-file; only Payments asks for a
        // client certificate (--tls-client-ca-file), as in k8s/.
        let hops = try ServeTLS(listener: tls, client: clientTLS, logger: logger)
        var paymentsServer = try limits.config(listen: paymentsAddress)
        paymentsServer.tls = hops.payments
        paymentsServer.logger = logger
        var ordersServer = try limits.config(listen: ordersAddress)
        ordersServer.tls = hops.orders
        ordersServer.logger = logger
        // Customer tokens: the configured secret, else the local key file (made on first start).
        let userSecret: String
        if let configured = try userAuth.secret() {
            userSecret = configured
        } else {
            let path = UserTokenKeyFile.path(dataDir: dataDir)
            let (secret, created) = try UserTokenKeyFile.loadOrCreate(path)
            logger.notice(created ? "created the local customer-token key" : "using the local customer-token key", metadata: ["path": "\(path)"])
            userSecret = secret
        }
        let authentication = try await userAuth.authentication(fallbackSecret: userSecret, logger: logger)
        let signIn = DevSignIn.signing(with: try await userAuth.token.signer(secret: userSecret), logger: logger)
        let drain = try common.drain()
        let paymentsService = try await PaymentsLaunch.start(
            listen: paymentsAddress, server: paymentsServer, metrics: nil, database: .sqlite(path: dataDir + "/payments.db"), secret: secret,
            approvalRate: processor.approvalRate, seed: processor.seed, drain: drain, telemetry: telemetry, logger: logger
        )
        let ordersService: Launched
        do {
            var reachPayments = try Address(parsing: try await paymentsService.address(), option: "--payments-listen")
            if reachPayments.host == "0.0.0.0" || reachPayments.host == "::" { reachPayments.host = "127.0.0.1" }
            ordersService = try await OrdersLaunch.start(
                listen: ordersAddress, server: ordersServer, metrics: nil, database: .sqlite(path: dataDir + "/orders.db"), secret: secret,
                payments: Peer(address: reachPayments, tls: hops.client, keepalive: try keepalive.config()), behaviour: try orders.config(),
                authentication: authentication,
                drain: drain, telemetry: telemetry, logger: logger
            )
        } catch {
            await paymentsService.abandon()
            throw error
        }
        // The gateway starts after Orders, pointed at it, and stops first.
        let gatewayService: Launched
        do {
            var reachOrders = try Address(parsing: try await ordersService.address(), option: "--orders-listen")
            if reachOrders.host == "0.0.0.0" || reachOrders.host == "::" { reachOrders.host = "127.0.0.1" }
            gatewayService = GatewayLaunch.start(
                listen: try GatewayOptions.address(Setting.string(gatewayListen, env: "ORDERHUB_GATEWAY_LISTEN", default: ":8000"), option: "--gateway-listen"),
                tls: hops.gateway, probes: try HealthListener.address(metricsListen, default: "127.0.0.1:9000"),
                orders: Peer(address: reachOrders, tls: hops.client, keepalive: try keepalive.config()), config: try gateway.config(), devSignIn: signIn,
                verifiedSubject: { await authentication.verifiedSubject(ofToken: $0) }, drain: drain, telemetry: telemetry, logger: logger
            )
        } catch {
            await ordersService.abandon()
            await paymentsService.abandon()
            throw error
        }
        try await ProcessLifecycle.run([paymentsService, ordersService, gatewayService], logger: logger)
        await telemetry.shutdown()
    }
}

/// The "what runs where" lines printed at start-up, on standard output.
enum Banner {
    /// One part of the process.
    struct Line {
        var name: String
        var scheme: String
        var address: String
        var database: String
    }

    /// Prints `lines`, the entry point (the gateway, when there is one) first.
    static func print(_ lines: [Line], metrics: String? = nil) {
        var text = "orderhub is running:\n"
        for line in lines {
            text += "  \(line.name.padding(9))\(line.scheme)://\(reachable(line.address))  (\(line.database))\n"
        }
        if let metrics { text += "  metrics: \(metrics)\n" }
        text += "  try:     export ORDERHUB_TOKEN=$(orderhub token --customer alice)\n"
        text += "           orderhub order create --item book:1:1250 --currency EUR --payment-token tok_approve\n"
        text += "  stop:    Ctrl-C (SIGINT) or SIGTERM\n"
        Console.out(text)
    }

    /// An address a browser on this machine can open: a listener on every interface is
    /// reachable as localhost (`http://0.0.0.0:8000` is not a page anyone can click).
    static func reachable(_ address: String) -> String {
        for wildcard in ["0.0.0.0:", "[::]:", ":::"] where address.hasPrefix(wildcard) {
            return "localhost:" + address.dropFirst(wildcard.count)
        }
        return address
    }
}

extension String {
    func padding(_ width: Int) -> String {
        self + String(repeating: " ", count: max(1, width - count))
    }
}
