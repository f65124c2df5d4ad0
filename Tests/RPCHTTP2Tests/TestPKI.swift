import DevCertificates
import Foundation
import TLSSupport
#if canImport(Glibc)
import Glibc
#endif

/// Certificates made in the test: a CA, a server certificate for localhost / 127.0.0.1 / ::1
/// and a client certificate, each as PEM bytes ready for the TLS settings.
struct TestPKI {
    let ca: DevCertificateAuthority
    let server: IssuedCertificate
    let client: IssuedCertificate

    static func make(commonName: String = "test CA") throws -> TestPKI {
        let ca = try DevCertificateAuthority(commonName: commonName, validFor: .seconds(3600))
        return TestPKI(
            ca: ca,
            server: try ca.issue(
                commonName: "localhost", dnsNames: ["localhost"],
                ipAddresses: [DevCertificateAuthority.loopbackIPv4, DevCertificateAuthority.loopbackIPv6]),
            client: try ca.issue(commonName: "test-client")
        )
    }

    var caPEM: PEMSource { .bytes(Array(ca.certificatePEM.utf8)) }

    /// Server settings with this PKI's server certificate; mutual TLS when `clientCA` is given.
    func serverConfig(clientCA: PEMSource? = nil) -> ServerTLSConfig {
        ServerTLSConfig(
            certificateChain: .bytes(Array(server.certificatePEM.utf8)), privateKey: .bytes(Array(server.privateKeyPEM.utf8)),
            clientCertificateTrustRoots: clientCA)
    }

    /// Client settings trusting this PKI's CA; presenting its client certificate when asked.
    func clientConfig(presentCertificate: Bool = false) -> ClientTLSConfig {
        ClientTLSConfig(
            trustRoots: caPEM,
            certificateChain: presentCertificate ? .bytes(Array(client.certificatePEM.utf8)) : nil,
            privateKey: presentCertificate ? .bytes(Array(client.privateKeyPEM.utf8)) : nil)
    }
}

/// Runs `body` with a fresh temporary directory; always removes it.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("orderhub-tls-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Replaces a file's contents the way a Secret update does: a new file renamed over the old.
func replaceFile(_ path: String, with text: String) throws {
    let staging = path + ".new"
    try Data(text.utf8).write(to: URL(fileURLWithPath: staging))
    guard rename(staging, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
}
