import ArgumentParser
import Gateway
import Logging

/// The REST gateway alone, in front of an Orders service.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway", abstract: "Run the REST gateway and web page in front of an Orders service."
    )

    @Option(help: "Address to listen on, host:port or :port for every interface (ORDERHUB_GATEWAY_LISTEN; default :8000).")
    var listen: String?

    @Option(help: "Orders' address (ORDERHUB_ORDERS_ADDRESS; default 127.0.0.1:50051).")
    var orders: String?

    @Option(help: "Cleartext address for GET /livez and /readyz (Kubernetes probes), local to the pod (ORDERHUB_METRICS_LISTEN; default 127.0.0.1:9000).")
    var metricsListen: String?

    @OptionGroup var tls: ListenerTLSOptions
    @OptionGroup var ordersTLS: ClientTLSOptions

    @Flag(help: "Offer POST /v1/dev/sign-in, signing with the user-token secret (ORDERHUB_DEV_SIGN_IN=1). Local use only.")
    var devSignIn = false

    @OptionGroup var common: CommonOptions
    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var userToken: UserTokenOptions

    /// The gateway verifies no tokens (Orders does, for every call), so it needs no key
    /// unless it signs them for the dev sign-in.
    func run() async throws {
        let logger = LogSetup.bootstrap(level: try common.level())
        OpenFileLimit.raiseToHardLimit(logger: logger)
        var signIn: DevSignIn?
        if devSignIn || Setting.environment("ORDERHUB_DEV_SIGN_IN") == "1" {
            guard let secret = try userToken.secret() else {
                throw SettingError("--dev-sign-in signs tokens with the HS256 secret: give --user-jwt-secret-file or ORDERHUB_USER_JWT_SECRET")
            }
            signIn = DevSignIn.signing(with: try await userToken.signer(secret: secret), logger: logger)
        }
        let service = try await GatewayLaunch.start(
            listen: try GatewayOptions.address(Setting.string(listen, env: "ORDERHUB_GATEWAY_LISTEN", default: ":8000"), option: "--listen"),
            tls: try tls.context(applicationProtocols: ["h2", "http/1.1"], logger: logger),
            probes: try HealthListener.address(metricsListen, default: "127.0.0.1:9000"),
            orders: Peer(
                address: try Address(parsing: Setting.string(orders, env: "ORDERHUB_ORDERS_ADDRESS", default: "127.0.0.1:50051"), option: "--orders"),
                tls: try ordersTLS.context(peer: "ORDERS", reloadInterval: try tls.reloadInterval(), logger: logger)
            ),
            config: try gateway.config(), devSignIn: signIn, logger: logger
        )
        Banner.print([service])
        let signal = await TerminationSignal.wait()
        logger.info("stopping", metadata: ["signal": "\(signal)"])
        await service.stop(try common.drain())
    }
}
