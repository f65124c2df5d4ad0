import Logging
import NIOCore
import RPC
import RPCHTTP2
import RPCTestSupport
import TLSSupport
import Testing

/// Server and client over TLS with certificates made in the test.
@Suite struct TLSTests {
    let logger = Logger(label: "test.tls", factory: { _ in SwiftLogNoOpLogHandler() })

    func serverConfig(_ tls: ServerTLSConfig) throws -> RPCServer.Config {
        var config = RPCServer.Config(host: "127.0.0.1")
        config.tls = try ReloadableTLSContext(server: tls, logger: logger)
        return config
    }

    func clientTLS(_ tls: ClientTLSConfig, serverName: String? = nil) throws -> (inout HTTP2ClientTransport.Config) -> Void {
        let context = try ReloadableTLSContext(client: tls, logger: logger)
        return { config in
            config.tls = context
            config.tlsServerName = serverName
        }
    }

    @Test func allFourCallKindsOverTLS() async throws {
        let pki = try TestPKI.make()
        try await withServer(config: try serverConfig(pki.serverConfig())) { _, port in
            try await withClient(port: port, config: try clientTLS(pki.clientConfig())) { client, _ in
                let unary = try await client.unary(EchoMethods.unary, request: TestMessage("hello"), responseType: TestMessage.self)
                #expect(unary.message.text == "hello")
                let streamed = try await client.serverStreaming(EchoMethods.serverStream, request: TestMessage("20"), responseType: TestMessage.self) {
                    response in
                    var texts: [String] = []
                    for try await message in response.messages { texts.append(message.text) }
                    return texts
                }
                #expect(streamed == (0..<20).map { "\($0)" })
                let gathered = try await client.clientStreaming(EchoMethods.clientStream, responseType: TestMessage.self) { writer in
                    for part in ["a", "b", "c"] { try await writer.write(TestMessage(part)) }
                }
                #expect(gathered.message.text == "abc")
                let echoed = try await client.bidirectional(
                    EchoMethods.bidi, responseType: TestMessage.self,
                    requestProducer: { writer in
                        for text in ["one", "two"] { try await writer.write(TestMessage(text)) }
                    },
                    onResponse: { response in
                        var seen: [String] = []
                        for try await message in response.messages { seen.append(message.text) }
                        return seen
                    })
                #expect(echoed == ["echo:one", "echo:two"])
            }
        }
    }

    @Test func loopLocalTransportOverTLS() async throws {
        let pki = try TestPKI.make()
        try await withServer(config: try serverConfig(pki.serverConfig())) { _, port in
            var config = HTTP2ClientTransport.Config(host: "127.0.0.1", port: port)
            config.tls = try ReloadableTLSContext(client: pki.clientConfig(), logger: logger)
            let transport = LoopLocalClientTransport(config: config)
            let client = RPCClient(transport: transport)
            for index in 0..<4 {
                let response = try await client.unary(EchoMethods.unary, request: TestMessage("\(index)"), responseType: TestMessage.self)
                #expect(response.message.text == "\(index)")
            }
            await transport.close()
        }
    }

    @Test func cleartextClientIsRefusedAndTheServerKeepsServing() async throws {
        let pki = try TestPKI.make()
        try await withServer(config: try serverConfig(pki.serverConfig())) { _, port in
            let code = await statusCode {
                try await withClient(port: port) { client, _ in
                    _ = try await client.unary(
                        EchoMethods.unary, request: TestMessage("x"), responseType: TestMessage.self, options: .init(timeout: .seconds(5)))
                }
            }
            #expect(code == .unavailable)
            try await expectServes(port: port, pki: pki)
        }
    }

    @Test func clientWithoutALPNh2IsRefusedAndTheServerKeepsServing() async throws {
        let pki = try TestPKI.make()
        try await withServer(config: try serverConfig(pki.serverConfig())) { _, port in
            var http1Only = pki.clientConfig()
            http1Only.applicationProtocols = ["http/1.1"]
            let code = await statusCode {
                try await withClient(port: port, config: try clientTLS(http1Only)) { client, _ in
                    _ = try await client.unary(EchoMethods.unary, request: TestMessage("x"), responseType: TestMessage.self)
                }
            }
            #expect(code == .unavailable)
            try await expectServes(port: port, pki: pki)
        }
    }

    @Test func clientRefusesAServerItDoesNotTrustOrWhoseNameDiffers() async throws {
        let pki = try TestPKI.make()
        let stranger = try TestPKI.make(commonName: "another CA")
        try await withServer(config: try serverConfig(pki.serverConfig())) { _, port in
            let untrusted = await statusCode {
                try await withClient(port: port, config: try clientTLS(stranger.clientConfig())) { client, _ in
                    _ = try await client.unary(EchoMethods.unary, request: TestMessage("x"), responseType: TestMessage.self)
                }
            }
            #expect(untrusted == .unavailable)
        }
        // A certificate for the name `localhost` only, no IP address: the client must dial that name.
        let named = try pki.ca.issue(commonName: "localhost", dnsNames: ["localhost"])
        let server = ServerTLSConfig(certificateChain: .bytes(Array(named.certificatePEM.utf8)), privateKey: .bytes(Array(named.privateKeyPEM.utf8)))
        try await withServer(config: try serverConfig(server)) { _, port in
            for (serverName, expected) in [("payments.example", StatusCode.unavailable), (nil, .unavailable), ("localhost", nil)] as [(String?, StatusCode?)] {
                let code = await statusCode {
                    try await withClient(port: port, config: try clientTLS(pki.clientConfig(), serverName: serverName)) { client, _ in
                        _ = try await client.unary(EchoMethods.unary, request: TestMessage("x"), responseType: TestMessage.self)
                    }
                }
                #expect(code == expected, "server name \(serverName ?? "none (127.0.0.1)")")
            }
        }
    }

    @Test func mutualTLSRefusesClientsWithoutACertificateFromItsCA() async throws {
        let pki = try TestPKI.make()
        let stranger = try TestPKI.make(commonName: "another CA")
        try await withServer(config: try serverConfig(pki.serverConfig(clientCA: pki.caPEM))) { _, port in
            let anonymous = await statusCode {
                try await withClient(port: port, config: try clientTLS(pki.clientConfig())) { client, _ in
                    _ = try await client.unary(EchoMethods.unary, request: TestMessage("x"), responseType: TestMessage.self)
                }
            }
            #expect(anonymous == .unavailable)
            // Trusts the server, but its certificate is signed by another CA.
            var foreign = pki.clientConfig()
            foreign.certificateChain = .bytes(Array(stranger.client.certificatePEM.utf8))
            foreign.privateKey = .bytes(Array(stranger.client.privateKeyPEM.utf8))
            let foreignCode = await statusCode {
                try await withClient(port: port, config: try clientTLS(foreign)) { client, _ in
                    _ = try await client.unary(EchoMethods.unary, request: TestMessage("x"), responseType: TestMessage.self)
                }
            }
            #expect(foreignCode == .unavailable)
            try await withClient(port: port, config: try clientTLS(pki.clientConfig(presentCertificate: true))) { client, _ in
                let response = try await client.unary(EchoMethods.unary, request: TestMessage("in"), responseType: TestMessage.self)
                #expect(response.message.text == "in")
            }
        }
    }

    @Test func gracefulShutdownOverTLSLetsAnInFlightCallFinish() async throws {
        let pki = try TestPKI.make()
        let probe = CancellationProbe()
        let server = RPCServer(router: EchoMethods.router(probe: probe), config: try serverConfig(pki.serverConfig()))
        try await server.start()
        try await withClient(port: server.port!, config: try clientTLS(pki.clientConfig())) { client, _ in
            let inFlight = Task {
                try await client.unary(EchoMethods.sleep, request: TestMessage("300"), responseType: TestMessage.self)
            }
            #expect(await probe.eventually { probe.started == 1 })
            // GOAWAY, then the output side is shut (close_notify) once the call has finished.
            await server.shutdown(gracePeriod: .seconds(10))
            let response = try await inFlight.value
            #expect(response.message.text == "300")
            #expect(probe.cancelled == 0)
        }
    }

    /// A client trusting `pki`'s CA completes a call on a new connection.
    func expectServes(port: Int, pki: TestPKI) async throws {
        try await withClient(port: port, config: try clientTLS(pki.clientConfig())) { client, _ in
            let response = try await client.unary(EchoMethods.unary, request: TestMessage("still here"), responseType: TestMessage.self)
            #expect(response.message.text == "still here")
        }
    }
}
