import Logging
import RPC
import RPCHTTP2
import RPCTestSupport
import TLSSupport
import Testing

/// Certificate rotation: new connections get the new certificate, open ones keep theirs.
@Suite struct TLSReloadTests {
    let logger = Logger(label: "test.tls.reload", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Server settings on files in `directory`, holding `pki`'s server certificate.
    func serverFiles(in directory: String, holding pki: TestPKI) throws -> ServerTLSConfig {
        let config = ServerTLSConfig(certificateChain: .file(directory + "/server.pem"), privateKey: .file(directory + "/server-key.pem"))
        try install(pki, in: directory)
        return config
    }

    func install(_ pki: TestPKI, in directory: String) throws {
        try replaceFile(directory + "/server.pem", with: pki.server.certificatePEM)
        try replaceFile(directory + "/server-key.pem", with: pki.server.privateKeyPEM)
    }

    func client(trusting pki: TestPKI) throws -> (inout HTTP2ClientTransport.Config) -> Void {
        let context = try ReloadableTLSContext(client: pki.clientConfig(), logger: logger)
        return { $0.tls = context }
    }

    func call(port: Int, trusting pki: TestPKI) async -> StatusCode? {
        await statusCode {
            try await withClient(port: port, config: try client(trusting: pki)) { client, _ in
                _ = try await client.unary(EchoMethods.unary, request: TestMessage("new"), responseType: TestMessage.self)
            }
        }
    }

    @Test func newConnectionsSeeTheNewCertificateWhileAnOpenStreamGoesOn() async throws {
        let first = try TestPKI.make(commonName: "first CA")
        let second = try TestPKI.make(commonName: "second CA")
        try await withTemporaryDirectory { directory in
            let context = try ReloadableTLSContext(server: try serverFiles(in: directory, holding: first), logger: logger)
            #expect(context.reload() == .unchanged)
            var config = RPCServer.Config(host: "127.0.0.1")
            config.tls = context
            try await withServer(config: config) { _, port in
                try await withClient(port: port, config: try client(trusting: first)) { client, _ in
                    let (requests, continuation) = AsyncStream.makeStream(of: String.self)
                    continuation.yield("before")
                    try await client.bidirectional(
                        EchoMethods.bidi, responseType: TestMessage.self,
                        requestProducer: { writer in
                            for await text in requests { try await writer.write(TestMessage(text)) }
                        },
                        onResponse: { response in
                            var replies = response.messages.makeAsyncIterator()
                            #expect(try await replies.next()?.text == "echo:before")

                            try install(second, in: directory)
                            #expect(context.reload() == .reloaded)
                            #expect(await call(port: port, trusting: second) == nil)
                            #expect(await call(port: port, trusting: first) == .unavailable)

                            // The stream opened on the first certificate's connection goes on.
                            continuation.yield("after")
                            #expect(try await replies.next()?.text == "echo:after")
                            continuation.finish()
                            #expect(try await replies.next() == nil)
                        })
                    // And that connection still takes new calls.
                    let response = try await client.unary(EchoMethods.unary, request: TestMessage("old"), responseType: TestMessage.self)
                    #expect(response.message.text == "old")
                }
            }
        }
    }

    @Test func aBadNewFileKeepsThePreviousCertificate() async throws {
        let first = try TestPKI.make(commonName: "first CA")
        let second = try TestPKI.make(commonName: "second CA")
        try await withTemporaryDirectory { directory in
            let context = try ReloadableTLSContext(server: try serverFiles(in: directory, holding: first), logger: logger)
            var config = RPCServer.Config(host: "127.0.0.1")
            config.tls = context
            try await withServer(config: config) { _, port in
                try replaceFile(directory + "/server.pem", with: "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
                #expect(context.reload() == .failed)
                // Reported once, not on every check.
                #expect(context.reload() == .unchanged)
                #expect(await call(port: port, trusting: first) == nil)
                // A certificate whose key is still the old one's is refused too.
                try replaceFile(directory + "/server.pem", with: second.server.certificatePEM)
                #expect(context.reload() == .failed)
                #expect(await call(port: port, trusting: first) == nil)
                try replaceFile(directory + "/server-key.pem", with: second.server.privateKeyPEM)
                #expect(context.reload() == .reloaded)
                #expect(await call(port: port, trusting: second) == nil)
            }
        }
    }

    @Test func watchingNoticesAChangedFile() async throws {
        let first = try TestPKI.make(commonName: "first CA")
        let second = try TestPKI.make(commonName: "second CA")
        try await withTemporaryDirectory { directory in
            let context = try ReloadableTLSContext(server: try serverFiles(in: directory, holding: first), logger: logger)
            let before = context.current
            let watcher = Task { await context.watch(every: .milliseconds(20)) }
            defer { watcher.cancel() }
            try install(second, in: directory)
            var checks = 0
            while context.current === before, checks < 500 {
                checks += 1
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(context.current !== before)
        }
    }
}
