import RPC
import RPCHTTP2
import RPCTestSupport
import Testing

/// Compressed calls end to end between our client and our server.
@Suite struct CompressionTests {
    /// A request the server's `Encoding` method answers with `replySize` bytes; 1 KiB long, so
    /// the client compresses it.
    private static func request(replySize: Int) -> TestMessage {
        TestMessage("\(replySize)" + String(repeating: " ", count: 1024))
    }

    @Test(arguments: CompressionAlgorithm.allCases)
    func compressedUnaryCallRoundTrips(algorithm: CompressionAlgorithm) async throws {
        try await withServer { _, port in
            try await withClient(port: port, config: { $0.compression = algorithm }) { client, _ in
                let response = try await client.unary(
                    EchoMethods.encoding, request: Self.request(replySize: 5000),
                    responseType: TestMessage.self)
                #expect(response.message.text.hasPrefix("\(algorithm.name) accepts deflate,gzip "))
                #expect(response.message.bytes.count == 5000)
            }
        }
    }

    @Test func callOptionsChooseTheAlgorithmPerCall() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                let plain = try await client.unary(EchoMethods.encoding, request: Self.request(replySize: 0), responseType: TestMessage.self)
                #expect(plain.message.text == "identity accepts deflate,gzip")
                let deflated = try await client.unary(
                    EchoMethods.encoding, request: Self.request(replySize: 0),
                    responseType: TestMessage.self, options: CallOptions(compression: .deflate))
                #expect(deflated.message.text == "deflate accepts deflate,gzip")
            }
        }
    }

    @Test func bidirectionalStreamCompressesEachMessage() async throws {
        let texts = (0..<5).map { "\($0)" + String(repeating: "x", count: 3000) }
        try await withServer { _, port in
            try await withClient(port: port, config: { $0.compression = .gzip }) { client, _ in
                let replies = try await client.bidirectional(
                    EchoMethods.bidi, responseType: TestMessage.self,
                    requestProducer: { writer in for text in texts { try await writer.write(TestMessage(text)) } },
                    onResponse: { response in
                        var seen: [String] = []
                        for try await reply in response.messages { seen.append(reply.text) }
                        return seen
                    })
                #expect(replies == texts.map { "echo:" + $0 })
            }
        }
    }

    /// 100 000 spaces compress to a few hundred bytes: under the 2 000-byte limit on the wire,
    /// far over it once inflated.
    @Test func serverLimitAppliesAfterInflating() async throws {
        try await withServer(config: .init(host: "127.0.0.1", maxReceiveMessageSize: 2000)) { _, port in
            try await withClient(port: port, config: { $0.compression = .gzip }) { client, _ in
                let code = await statusCode {
                    _ = try await client.unary(
                        EchoMethods.unary, request: TestMessage(String(repeating: " ", count: 100_000)),
                        responseType: TestMessage.self)
                }
                #expect(code == .resourceExhausted)
                // The connection still serves.
                let next = try await client.unary(EchoMethods.encoding, request: Self.request(replySize: 0), responseType: TestMessage.self)
                #expect(next.message.text.hasPrefix("gzip"))
            }
        }
    }

    @Test func clientLimitAppliesAfterInflating() async throws {
        try await withServer { _, port in
            try await withClient(
                port: port,
                config: {
                    $0.compression = .gzip; $0.maxReceiveMessageSize = 4000
                }
            ) { client, _ in
                let code = await statusCode {
                    _ = try await client.unary(EchoMethods.encoding, request: Self.request(replySize: 50_000), responseType: TestMessage.self)
                }
                #expect(code == .resourceExhausted)
            }
        }
    }
}
