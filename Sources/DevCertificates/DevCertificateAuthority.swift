import Crypto
import Foundation
import SwiftASN1
import X509

/// A throwaway certificate authority made in memory, and the server and client certificates it
/// signs: for trying TLS locally (`orderhub dev-certs`) and for tests. ECDSA P-256 keys,
/// SHA-256 signatures, made with swift-certificates and swift-crypto.
///
/// ```swift
/// let ca = try DevCertificateAuthority()
/// let server = try ca.issue(commonName: "localhost", dnsNames: ["localhost"], ipAddresses: [DevCertificateAuthority.loopbackIPv4])
/// // ca.certificatePEM, server.certificatePEM, server.privateKeyPEM
/// ```
public struct DevCertificateAuthority: Sendable {
    /// 127.0.0.1 as a certificate's IP address entry.
    public static let loopbackIPv4: [UInt8] = [127, 0, 0, 1]
    /// ::1 as a certificate's IP address entry.
    public static let loopbackIPv6: [UInt8] = Array(repeating: 0, count: 15) + [1]

    /// The CA certificate, PEM: what clients (or servers, for client certificates) trust.
    public let certificatePEM: String
    private let key: P256.Signing.PrivateKey
    private let name: DistinguishedName
    private let keyIdentifier: ArraySlice<UInt8>
    private let validity: ClosedRange<Date>

    /// A new CA with a fresh key, valid from an hour ago (clock skew) for `validFor`.
    public init(commonName: String = "orderhub development CA", validFor: Duration = .seconds(365 * 24 * 3600)) throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("orderhub (development only)")
            CommonName(commonName)
        }
        let now = Date()
        let validity = now.addingTimeInterval(-3600)...now.addingTimeInterval(Double(validFor.components.seconds))
        let publicKey = Certificate.PublicKey(key.publicKey)
        let identifier = SubjectKeyIdentifier(hash: publicKey)
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: publicKey,
            notValidBefore: validity.lowerBound, notValidAfter: validity.upperBound,
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                identifier
            },
            issuerPrivateKey: .init(key)
        )
        self.certificatePEM = try certificate.serializeAsPEM().pemString
        self.key = key
        self.name = name
        self.keyIdentifier = identifier.keyIdentifier
        self.validity = validity
    }

    /// A leaf certificate signed by this CA, good for TLS servers and clients alike.
    ///
    /// - Parameters:
    ///   - dnsNames: host names it is valid for (a server's; a client's may be empty).
    ///   - ipAddresses: IP addresses it is valid for, 4 or 16 bytes each.
    public func issue(commonName: String, dnsNames: [String] = [], ipAddresses: [[UInt8]] = []) throws -> IssuedCertificate {
        let leafKey = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(leafKey.publicKey)
        let serial = Certificate.SerialNumber()
        let names = dnsNames.map { GeneralName.dnsName($0) } + ipAddresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: $0[...])) }
        let certificate = try Certificate(
            version: .v3, serialNumber: serial, publicKey: publicKey,
            notValidBefore: validity.lowerBound, notValidAfter: validity.upperBound,
            issuer: name, subject: try DistinguishedName { CommonName(commonName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                AuthorityKeyIdentifier(keyIdentifier: keyIdentifier)
                SubjectKeyIdentifier(hash: publicKey)
                if !names.isEmpty { SubjectAlternativeNames(names) }
            },
            issuerPrivateKey: .init(key)
        )
        return IssuedCertificate(
            certificatePEM: try certificate.serializeAsPEM().pemString,
            privateKeyPEM: leafKey.pemRepresentation,
            serialNumber: Array(serial.bytes)
        )
    }
}

/// A certificate and its private key, both PEM.
public struct IssuedCertificate: Sendable {
    /// The certificate, signed by the CA that issued it.
    public let certificatePEM: String
    /// Its private key (PKCS #8); keep it private.
    public let privateKeyPEM: String
    /// The serial number's bytes (big-endian), to tell two certificates apart.
    public let serialNumber: [UInt8]
}
