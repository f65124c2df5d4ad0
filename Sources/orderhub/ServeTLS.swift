import Logging
import TLSSupport

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
