import ArgumentParser
import CustomerAuth
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

    @Option(
        help:
            "Cleartext address for GET /livez, /readyz (Kubernetes probes) and /metrics and GET /metrics, local to the pod (ORDERHUB_METRICS_LISTEN; default 127.0.0.1:9000)."
    )
    var metricsListen: String?

    @OptionGroup var tls: ListenerTLSOptions
    @OptionGroup var ordersTLS: ClientTLSOptions
    @OptionGroup var keepalive: KeepaliveOptions

    @Flag(help: "Offer POST /v1/dev/sign-in, signing with the user-token secret (ORDERHUB_DEV_SIGN_IN=1). Local use only.")
    var devSignIn = false

    @OptionGroup var common: CommonOptions
    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var userToken: UserTokenOptions

    @Option(
        help:
            "JWKS file with the RS256/ES256 public keys of customer tokens (ORDERHUB_USER_JWKS_FILE); with it, or the HS256 secret, the rate limit and stream caps count clients by verified token subject."
    )
    var userJwksFile: String?

    /// A flag only, as on `orders`: starting without the customer-token keys takes a visible word.
    @Flag(help: "Start without the customer-token keys (clients are then counted by address only). Local tests only; no environment variable.")
    var insecureNoUserAuth = false

    /// Orders decides every call; the gateway decides nothing with tokens. It still refuses to
    /// start without the customer-token keys (a deployment that forgot them is caught here,
    /// not by the first customer): it verifies tokens to count clients by their subject (rate
    /// limit, event stream caps), and with the HS256 secret it can sign them for the dev
    /// sign-in.
    func run() async throws {
        let logger = LogSetup.bootstrap(level: try common.level())
        OpenFileLimit.raiseToHardLimit(logger: logger)
        let telemetry = try common.telemetry(serviceName: "orderhub-gateway", logger: logger)
        // Read once: the dev sign-in signs with it, the client count verifies with it.
        let secret = try userToken.secret()
        var signIn: DevSignIn?
        if devSignIn || Setting.environment("ORDERHUB_DEV_SIGN_IN") == "1" {
            guard let secret else {
                throw SettingError("--dev-sign-in signs tokens with the HS256 secret: give --user-jwt-secret-file or ORDERHUB_USER_JWT_SECRET")
            }
            signIn = DevSignIn.signing(with: try await userToken.signer(secret: secret), logger: logger)
        }
        var verifiedSubject: (@Sendable (String) async -> String?)?
        let jwks = try Setting.optionalString(userJwksFile, env: "ORDERHUB_USER_JWKS_FILE").map(TextFile.read)
        if secret == nil && jwks == nil {
            guard insecureNoUserAuth else {
                throw SettingError(
                    """
                    the customer-token keys are required: --user-jwt-secret-file (HS256), --user-jwks-file (RS256/ES256), \
                    or ORDERHUB_USER_JWT_SECRET; --insecure-no-user-auth starts without them
                    """)
            }
            logger.warning("the gateway runs without customer-token keys (--insecure-no-user-auth): clients are counted by address only")
        } else {
            do {
                let keys = try CustomerTokenKeys(secret: secret, jwksJSON: jwks)
                let verifier = try await CustomerTokenVerifier(keys: keys, config: .init(issuer: userToken.issuer, audience: userToken.audience))
                verifiedSubject = { token in try? await verifier.verify(token: token).subject }
            } catch {
                throw SettingError("\(error)")
            }
        }
        let service = GatewayLaunch.start(
            listen: try GatewayOptions.address(Setting.string(listen, env: "ORDERHUB_GATEWAY_LISTEN", default: ":8000"), option: "--listen"),
            tls: try tls.context(applicationProtocols: ["h2", "http/1.1"], logger: logger),
            probes: try HealthListener.address(metricsListen, default: "127.0.0.1:9000"),
            orders: Peer(
                address: try Address(parsing: Setting.string(orders, env: "ORDERHUB_ORDERS_ADDRESS", default: "127.0.0.1:50051"), option: "--orders"),
                tls: try ordersTLS.context(peer: "ORDERS", reloadInterval: try tls.reloadInterval(), logger: logger),
                keepalive: try keepalive.config()
            ),
            config: try gateway.config(), devSignIn: signIn, verifiedSubject: verifiedSubject, drain: try common.drain(), telemetry: telemetry, logger: logger
        )
        try await ProcessLifecycle.run([service], logger: logger)
        await telemetry.shutdown()
    }
}
