import DevCertificates
import TLSSupport
import Testing

@Suite struct TLSConfigTests {
    static let ca = try! DevCertificateAuthority(commonName: "config test CA", validFor: .seconds(3600))

    func pem(_ text: String) -> PEMSource { .bytes(Array(text.utf8)) }

    @Test func aServerCertificateWithItsKeyMakesAContext() throws {
        let issued = try Self.ca.issue(commonName: "localhost", dnsNames: ["localhost"])
        _ = try ServerTLSConfig(certificateChain: pem(issued.certificatePEM), privateKey: pem(issued.privateKeyPEM)).makeContext()
        _ = try ServerTLSConfig(
            certificateChain: pem(issued.certificatePEM), privateKey: pem(issued.privateKeyPEM),
            clientCertificateTrustRoots: pem(Self.ca.certificatePEM)
        ).makeContext()
    }

    @Test func aCertificateWithAnotherKeyIsRefused() throws {
        let one = try Self.ca.issue(commonName: "one")
        let other = try Self.ca.issue(commonName: "other")
        #expect(throws: (any Error).self) {
            try ServerTLSConfig(certificateChain: pem(one.certificatePEM), privateKey: pem(other.privateKeyPEM)).makeContext()
        }
    }

    @Test func aClientCertificateNeedsItsKey() throws {
        let issued = try Self.ca.issue(commonName: "client")
        #expect(throws: TLSFileError.self) {
            try ClientTLSConfig(trustRoots: pem(Self.ca.certificatePEM), certificateChain: pem(issued.certificatePEM)).makeContext()
        }
        _ = try ClientTLSConfig(
            trustRoots: pem(Self.ca.certificatePEM), certificateChain: pem(issued.certificatePEM),
            privateKey: pem(issued.privateKeyPEM)
        ).makeContext()
    }

    @Test func aFileWithoutCertificatesOrAMissingFileIsAnError() throws {
        #expect(throws: (any Error).self) { try PEMSource.bytes(Array("nothing here".utf8)).certificates() }
        #expect(throws: TLSFileError.self) { try PEMSource.file("/nonexistent/orderhub/ca.pem").read() }
        #expect(ClientTLSConfig(trustRoots: .file("/a"), certificateChain: .bytes([]), privateKey: .file("/b")).files == ["/a", "/b"])
    }
}
