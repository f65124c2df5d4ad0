import RPC
import RPCHTTP2
import RPCTestSupport
import Testing

@Suite struct StatusAndMetadataTests {
    @Test func customMetadataTravelsBothWays() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                var options = CallOptions()
                options.metadata.add("x-user", "ann")
                options.metadata.add("x-trace-bin", .binary([0, 255, 1]))
                let response = try await client.unary(EchoMethods.metadata, request: TestMessage("m"), responseType: TestMessage.self, options: options)
                #expect(response.initialMetadata["x-user"] == "ann")
                #expect(response.initialMetadata.binary("x-trace-bin") == [0, 255, 1])
                #expect(response.trailingMetadata["x-trailer"] == "t")
                #expect(response.trailingMetadata.binary("x-trailer-bin") == [9, 8])
            }
        }
    }

    @Test func errorStatusMessageAndMetadataArrive() async throws {
        let message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                do {
                    _ = try await client.unary(EchoMethods.fail, request: TestMessage(message), responseType: TestMessage.self)
                    Issue.record("the call succeeded")
                } catch let error as RPCError {
                    #expect(error.code == .notFound)
                    #expect(error.message == message)
                    #expect(error.metadata.binary("x-why-bin") == [0, 1, 254])
                }
            }
        }
    }

    @Test func unknownMethodAndServiceAreUnimplemented() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                for method in [MethodDescriptor(service: "test.Echo", method: "Nope"), MethodDescriptor(service: "no.Such", method: "Unary")] {
                    let code = await statusCode {
                        _ = try await client.unary(method, request: TestMessage("x"), responseType: TestMessage.self)
                    }
                    #expect(code == .unimplemented)
                }
            }
        }
    }

    @Test func undecodableRequestIsInvalidArgument() async throws {
        var router = RPCRouter()
        router.registerUnary(EchoMethods.unary) { (request: Strict, _) in request }
        let server = RPCServer(router: router, config: .init(host: "127.0.0.1"))
        try await server.start()
        try await withClient(port: server.port!) { client, _ in
            let code = await statusCode {
                _ = try await client.unary(EchoMethods.unary, request: TestMessage("not strict"), responseType: TestMessage.self)
            }
            #expect(code == .invalidArgument)
        }
        await server.shutdown(gracePeriod: .seconds(1))
    }
}

/// A message that only decodes from the bytes `ok`.
struct Strict: RPCMessage {
    init(serializedBytes: [UInt8]) throws {
        guard serializedBytes == Array("ok".utf8) else { throw MessageDecodingError(messageName: "Strict") }
    }

    func serializedBytes() -> [UInt8] { Array("ok".utf8) }
}
