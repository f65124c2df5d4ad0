import ArgumentParser
import DevCertificates
#if canImport(Glibc)
import Glibc
#endif

/// `orderhub dev-certs DIR`: a throwaway CA and certificates for trying TLS on this machine.
struct DevCertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-certs",
        abstract: "Write a throwaway CA and TLS certificates for localhost, 127.0.0.1 and ::1 (development only).",
        discussion: """
            Writes ca.pem, server.pem, server-key.pem, client.pem and client-key.pem into DIR (created if missing); \
            keys are readable by the owner only. The CA's own key is not kept, so nothing else can be signed with it.
            """
    )

    @Argument(help: "Directory to write the files into.")
    var directory: String

    func run() throws {
        let ca = try DevCertificateAuthority()
        let server = try ca.issue(
            commonName: "localhost", dnsNames: ["localhost"],
            ipAddresses: [DevCertificateAuthority.loopbackIPv4, DevCertificateAuthority.loopbackIPv6]
        )
        let client = try ca.issue(commonName: "orderhub-dev-client")
        try TextFile.createDirectory(directory)
        let files: [(name: String, text: String, mode: mode_t)] = [
            ("ca.pem", ca.certificatePEM, 0o644),
            ("server.pem", server.certificatePEM, 0o644),
            ("server-key.pem", server.privateKeyPEM, 0o600),
            ("client.pem", client.certificatePEM, 0o644),
            ("client-key.pem", client.privateKeyPEM, 0o600),
        ]
        for file in files {
            try TextFile.write(file.text + (file.text.hasSuffix("\n") ? "" : "\n"), to: directory + "/" + file.name, mode: file.mode)
        }
        Console.out("wrote \(files.map(\.name).joined(separator: ", ")) to \(directory)\n")
    }
}
