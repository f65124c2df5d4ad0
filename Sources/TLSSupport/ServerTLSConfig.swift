import NIOSSL

/// A TLS listener's settings as a value: its certificate chain and key, the CA that client
/// certificates must chain to (mutual TLS) and the ALPN protocols it offers. `makeContext()`
/// turns it into an `NIOSSLContext`; `ReloadableTLSContext` does that again when a file changes.
///
/// ```swift
/// let tls = ServerTLSConfig(certificateChain: .file("server.pem"), privateKey: .file("server-key.pem"))
/// let context = try tls.makeContext()
/// ```
public struct ServerTLSConfig: Sendable, Hashable {
    /// The server's certificate, then any intermediates.
    public var certificateChain: PEMSource
    /// The key of the chain's first certificate.
    public var privateKey: PEMSource
    /// When set, a client must present a certificate that chains to one of these CAs; without
    /// one the handshake fails.
    public var clientCertificateTrustRoots: PEMSource?
    /// ALPN protocols in order of preference: `["h2"]` for gRPC, `["h2", "http/1.1"]` for the
    /// REST gateway.
    public var applicationProtocols: [String]

    /// A listener's settings; `["h2"]` unless told otherwise.
    public init(
        certificateChain: PEMSource, privateKey: PEMSource, clientCertificateTrustRoots: PEMSource? = nil,
        applicationProtocols: [String] = ["h2"]
    ) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.clientCertificateTrustRoots = clientCertificateTrustRoots
        self.applicationProtocols = applicationProtocols
    }

    /// The files a reload reads again.
    public var files: [String] {
        [certificateChain, privateKey, clientCertificateTrustRoots].compactMap { $0?.path }
    }

    /// Reads the files and builds the context: TLS 1.2 and 1.3 only.
    public func makeContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try certificateChain.certificates().map { .certificate($0) },
            privateKey: .privateKey(try privateKey.privateKey())
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = applicationProtocols
        if let clientCertificateTrustRoots {
            // Server side, any verification mode means "require a certificate and verify it";
            // a client has no host name to check.
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates(try clientCertificateTrustRoots.certificates())
            // Tells clients which CA to pick a certificate for.
            configuration.sendCANameList = true
        }
        return try NIOSSLContext(configuration: configuration)
    }
}
