/// A certificate and its private key, both PEM.
public struct IssuedCertificate: Sendable {
    /// The certificate, signed by the CA that issued it.
    public let certificatePEM: String
    /// Its private key (PKCS #8); keep it private.
    public let privateKeyPEM: String
    /// The serial number's bytes (big-endian), to tell two certificates apart.
    public let serialNumber: [UInt8]
}
