import NIOSSL

/// A TLS client's settings as a value: which CAs it trusts for the server's certificate, the
/// certificate it presents when the server asks (mutual TLS) and the ALPN protocols it offers.
/// The server's name is always verified (a host name against its DNS names, a literal IP
/// address against its IP addresses).
///
/// ```swift
/// let tls = ClientTLSConfig(trustRoots: .file("ca.pem"))
/// let context = try tls.makeContext()
/// ```
public struct ClientTLSConfig: Sendable, Hashable {
    /// CAs the server's certificate must chain to; nil trusts the system's store.
    public var trustRoots: PEMSource?
    /// A client certificate (then intermediates) and its key, presented when the server asks.
    public var certificateChain: PEMSource?
    /// The key of `certificateChain`'s first certificate.
    public var privateKey: PEMSource?
    /// ALPN protocols offered; gRPC needs `h2`.
    public var applicationProtocols: [String]

    /// A client's settings; `["h2"]` unless told otherwise.
    public init(
        trustRoots: PEMSource? = nil, certificateChain: PEMSource? = nil, privateKey: PEMSource? = nil,
        applicationProtocols: [String] = ["h2"]
    ) {
        self.trustRoots = trustRoots
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.applicationProtocols = applicationProtocols
    }

    /// The files a reload reads again.
    public var files: [String] {
        [trustRoots, certificateChain, privateKey].compactMap { $0?.path }
    }

    /// Reads the files and builds the context: TLS 1.2 and 1.3, full verification.
    public func makeContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        configuration.applicationProtocols = applicationProtocols
        if let trustRoots {
            configuration.trustRoots = .certificates(try trustRoots.certificates())
        }
        switch (certificateChain, privateKey) {
        case (let chain?, let key?):
            configuration.certificateChain = try chain.certificates().map { .certificate($0) }
            configuration.privateKey = .privateKey(try key.privateKey())
        case (nil, nil):
            break
        default:
            throw TLSFileError(path: (certificateChain ?? privateKey)?.describe ?? "", reason: "a client certificate needs its key, and a key its certificate")
        }
        return try NIOSSLContext(configuration: configuration)
    }
}
