import DevCertificates
@testable import Gateway
import Logging
import NIOSSL
import TLSSupport
import Testing

/// The gateway over HTTPS keeps its slowloris defence on both protocols ALPN can pick: the TLS
/// handshake, HTTP/1.1's request head and an idle HTTP/2 connection each get the header read
/// timeout (500 ms here).
@Suite("HTTPS: handshake, HTTP/1.1 and HTTP/2 under the header read timeout")
struct HTTPSTests {
    static let ca = try! DevCertificateAuthority(commonName: "gateway test CA", validFor: .seconds(3600))

    let server: ReloadableTLSContext
    let caPEM: [UInt8]

    init() throws {
        let issued = try Self.ca.issue(commonName: "localhost", dnsNames: ["localhost"])
        server = try ReloadableTLSContext(
            server: ServerTLSConfig(
                certificateChain: .bytes(Array(issued.certificatePEM.utf8)), privateKey: .bytes(Array(issued.privateKeyPEM.utf8)),
                applicationProtocols: ["h2", "http/1.1"]),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        caPEM = Array(Self.ca.certificatePEM.utf8)
    }

    func client(alpn: [String]) throws -> NIOSSLContext {
        try ClientTLSConfig(trustRoots: .bytes(caPEM), applicationProtocols: alpn).makeContext()
    }

    @Test("a connection that never starts its TLS handshake is closed")
    func stalledHandshake() async throws {
        try await GatewayFixture(config: .shortHeaderReadTimeout).withLiveServer(tls: server) { client in
            let connection = try await RawConnection.connect(port: try #require(client.port))
            #expect(await connection.waitForClose(limit: .seconds(5)))
            #expect(connection.text.isEmpty)
            // Closed by now; if not, the server's shutdown must not wait for it.
            await connection.close()
        }
    }

    @Test("HTTP/1.1 over TLS: answered, and a dribbled head is cut off without an answer")
    func http1() async throws {
        try await GatewayFixture(config: .shortHeaderReadTimeout).withLiveServer(tls: server) { client in
            let port = try #require(client.port)
            let answered = try await RawConnection.connect(port: port, tls: try self.client(alpn: ["http/1.1"]))
            await answered.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(await answered.waitForClose(limit: .seconds(10)))
            #expect(answered.text.hasPrefix("HTTP/1.1 200"), "\(answered.text)")

            let slow = try await RawConnection.connect(port: port, tls: try self.client(alpn: ["http/1.1"]))
            await slow.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
            for _ in 0..<100 where slow.isOpen {
                try await Task.sleep(for: .milliseconds(100))
                await slow.send("X-Slow: 1\r\n")
            }
            #expect(await slow.waitForClose(limit: .seconds(1)))
            #expect(slow.text.isEmpty)
            await answered.close()
            await slow.close()
        }
    }

    @Test("HTTP/2 over TLS: the server's SETTINGS come back, and an idle connection is closed")
    func http2() async throws {
        try await GatewayFixture(config: .shortHeaderReadTimeout).withLiveServer(tls: server) { client in
            let connection = try await RawConnection.connect(port: try #require(client.port), tls: try self.client(alpn: ["h2"]))
            // The client preface and an empty SETTINGS frame, then nothing.
            await connection.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + String(decoding: [0, 0, 0, 4, 0, 0, 0, 0, 0] as [UInt8], as: UTF8.self))
            #expect(await connection.waitForClose(limit: .seconds(10)))
            let bytes = connection.bytes
            // An HTTP/2 frame header: 3 bytes length, then type 4 (SETTINGS).
            #expect(bytes.count >= 9 && bytes[3] == 4, "\(bytes.prefix(16))")
            await connection.close()
        }
    }
}
