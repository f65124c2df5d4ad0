import ArgumentParser
import Logging
import TLSSupport

/// TLS for a process's listener (`--tls-cert-file`, `--tls-key-file`, `--tls-client-ca-file`):
/// with a certificate and key it serves TLS only.
struct ListenerTLSOptions: ParsableArguments {
    @Option(help: "PEM certificate (chain) to serve TLS with; the listener then serves TLS only (ORDERHUB_TLS_CERT_FILE).")
    var tlsCertFile: String?

    @Option(help: "PEM private key of --tls-cert-file (ORDERHUB_TLS_KEY_FILE).")
    var tlsKeyFile: String?

    @Option(help: "PEM CA certificate(s): clients must present a certificate signed by one (mutual TLS) (ORDERHUB_TLS_CLIENT_CA_FILE).")
    var tlsClientCaFile: String?

    @Option(help: "Seconds between checks of the certificate, key and CA files for changes; SIGHUP checks at once (ORDERHUB_TLS_RELOAD_SECONDS; default 5).")
    var tlsReloadSeconds: Double?

    var certFile: String? { Setting.optionalString(tlsCertFile, env: "ORDERHUB_TLS_CERT_FILE") }
    var keyFile: String? { Setting.optionalString(tlsKeyFile, env: "ORDERHUB_TLS_KEY_FILE") }
    var clientCAFile: String? { Setting.optionalString(tlsClientCaFile, env: "ORDERHUB_TLS_CLIENT_CA_FILE") }

    /// Whether the listener serves TLS.
    var enabled: Bool { certFile != nil || keyFile != nil }

    func reloadInterval() throws -> Duration {
        try Setting.seconds(tlsReloadSeconds, env: "ORDERHUB_TLS_RELOAD_SECONDS", name: "tls-reload-seconds", default: 5)
    }

    /// The listener's settings, or nil for cleartext. `requireClientCertificates: false` leaves
    /// out `--tls-client-ca-file` (the all-in-one run's gateway, which browsers reach).
    func config(applicationProtocols: [String], requireClientCertificates: Bool = true) throws -> ServerTLSConfig? {
        switch (certFile, keyFile) {
        case (nil, nil):
            if clientCAFile != nil { throw SettingError("--tls-client-ca-file needs --tls-cert-file and --tls-key-file") }
            return nil
        case (let cert?, let key?):
            return ServerTLSConfig(
                certificateChain: .file(cert), privateKey: .file(key),
                clientCertificateTrustRoots: requireClientCertificates ? clientCAFile.map { .file($0) } : nil,
                applicationProtocols: applicationProtocols
            )
        default:
            throw SettingError("--tls-cert-file and --tls-key-file go together")
        }
    }

    /// The reloading context for this listener (nil for cleartext); a bad file stops start-up.
    func context(applicationProtocols: [String], requireClientCertificates: Bool = true, logger: Logger) throws -> ReloadableTLSContext? {
        guard let config = try config(applicationProtocols: applicationProtocols, requireClientCertificates: requireClientCertificates) else {
            return nil
        }
        do {
            let context = try ReloadableTLSContext(server: config, logger: logger)
            CertificateReloading.watch(context, every: try reloadInterval(), logger: logger)
            return context
        } catch let error as SettingError {
            throw error
        } catch {
            throw SettingError("cannot serve TLS with \(config.files.joined(separator: ", ")): \(error)")
        }
    }
}

/// The TLS contexts of the all-in-one run (`serve`): one per listener, one for the internal
/// calls. All nil without `--tls-cert-file` (the loopback default stays cleartext).
struct ServeTLS {
    var payments: ReloadableTLSContext?
    var orders: ReloadableTLSContext?
    var gateway: ReloadableTLSContext?
    var client: ReloadableTLSContext?

    init(listener: ListenerTLSOptions, client clientOptions: ClientTLSOptions, logger: Logger) throws {
        guard listener.enabled else {
            if clientOptions.config(peer: nil) != nil {
                throw SettingError("serve: --tls-ca-file and the client certificate options need --tls-cert-file and --tls-key-file")
            }
            return
        }
        guard let clientConfig = clientOptions.config(peer: nil), clientConfig.trustRoots != nil else {
            throw SettingError("serve with --tls-cert-file also needs --tls-ca-file: its own calls (gateway → Orders → Payments) verify the certificate")
        }
        if listener.clientCAFile != nil, clientConfig.certificateChain == nil {
            throw SettingError("serve with --tls-client-ca-file also needs --tls-client-cert-file and --tls-client-key-file: Orders presents it to Payments")
        }
        payments = try listener.context(applicationProtocols: ["h2"], logger: logger)
        orders = try listener.context(applicationProtocols: ["h2"], requireClientCertificates: false, logger: logger)
        gateway = try listener.context(applicationProtocols: ["h2", "http/1.1"], requireClientCertificates: false, logger: logger)
        client = try clientOptions.context(peer: nil, reloadInterval: try listener.reloadInterval(), logger: logger)
    }
}
