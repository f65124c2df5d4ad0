import ArgumentParser
import Logging
import TLSSupport

/// TLS for a process's outgoing calls (`--tls-ca-file`, `--tls-client-cert-file`,
/// `--tls-client-key-file`): with a CA file, calls use TLS and verify the server's name.
///
/// Each variable has a form prefixed with the peer's role that wins over the plain one, so one
/// environment can describe a process that both listens and calls: in `orders`,
/// `ORDERHUB_PAYMENTS_TLS_CA_FILE` before `ORDERHUB_TLS_CA_FILE`; in `gateway` and the CLI,
/// `ORDERHUB_ORDERS_TLS_CA_FILE` before it.
struct ClientTLSOptions: ParsableArguments {
    @Option(
        help:
            "PEM CA certificate(s) the server's certificate must chain to; calls then use TLS (ORDERHUB_ORDERS_TLS_CA_FILE in the gateway and the CLI, ORDERHUB_PAYMENTS_TLS_CA_FILE in orders; else ORDERHUB_TLS_CA_FILE)."
    )
    var tlsCaFile: String?

    @Option(
        help:
            "PEM client certificate presented when the server asks (mutual TLS) (ORDERHUB_ORDERS_TLS_CLIENT_CERT_FILE in the gateway and the CLI, ORDERHUB_PAYMENTS_TLS_CLIENT_CERT_FILE in orders; else ORDERHUB_TLS_CLIENT_CERT_FILE)."
    )
    var tlsClientCertFile: String?

    @Option(
        help:
            "PEM private key of --tls-client-cert-file (ORDERHUB_ORDERS_TLS_CLIENT_KEY_FILE in the gateway and the CLI, ORDERHUB_PAYMENTS_TLS_CLIENT_KEY_FILE in orders; else ORDERHUB_TLS_CLIENT_KEY_FILE)."
    )
    var tlsClientKeyFile: String?

    /// The client settings for calls to `peer` (`PAYMENTS`, `ORDERS`, or nil for no prefixed
    /// variables), or nil for cleartext.
    func config(peer: String?) -> ClientTLSConfig? {
        func value(_ flag: String?, _ suffix: String) -> String? {
            flag ?? peer.flatMap { Setting.environment("ORDERHUB_\($0)_\(suffix)") } ?? Setting.environment("ORDERHUB_\(suffix)")
        }
        let ca = value(tlsCaFile, "TLS_CA_FILE")
        let cert = value(tlsClientCertFile, "TLS_CLIENT_CERT_FILE")
        let key = value(tlsClientKeyFile, "TLS_CLIENT_KEY_FILE")
        guard ca != nil || cert != nil || key != nil else { return nil }
        return ClientTLSConfig(trustRoots: ca.map { .file($0) }, certificateChain: cert.map { .file($0) }, privateKey: key.map { .file($0) })
    }

    /// The reloading context for calls to `peer` (nil for cleartext), checked for changes every
    /// `reloadInterval` when given (long-running services; the CLI needs no reload).
    func context(peer: String?, reloadInterval: Duration?, logger: Logger) throws -> ReloadableTLSContext? {
        guard let config = config(peer: peer) else { return nil }
        do {
            let context = try ReloadableTLSContext(client: config, logger: logger)
            if let reloadInterval { CertificateReloading.watch(context, every: reloadInterval, logger: logger) }
            return context
        } catch {
            throw SettingError("cannot call over TLS with \(config.files.joined(separator: ", ")): \(error)")
        }
    }
}
