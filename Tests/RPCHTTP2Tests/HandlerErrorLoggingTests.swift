import Logging
import RPC
import RPCHTTP2
import RPCTestSupport
import Testing

/// A handler error that is not an `RPCError` reaches the server's logger, never the client.
@Suite struct HandlerErrorLoggingTests {
    @Test(arguments: [EchoMethods.crash, EchoMethods.crashStream])
    func aNonRPCErrorIsLoggedWithItsMethodAndTheClientGetsABareInternal(method: MethodDescriptor) async throws {
        let (logger, records) = RecordingLogHandler.logger()
        try await withServer(config: .init(host: "127.0.0.1", logger: logger)) { _, port in
            try await withClient(port: port) { client, _ in
                var caught: RPCError?
                do {
                    if method.kind == .unary {
                        _ = try await client.unary(method, request: TestMessage("password=hunter2"), responseType: TestMessage.self)
                    } else {
                        _ = try await client.serverStreaming(method, request: TestMessage("password=hunter2"), responseType: TestMessage.self) { response in
                            for try await _ in response.messages {}
                        }
                    }
                } catch let error as RPCError {
                    caught = error
                }
                #expect(caught?.code == .internal)
                #expect(caught.map { !"\($0)".contains("hunter2") } == true, "the error's text stays on the server")
            }
        }
        let errors = records.all.filter { $0.level == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.metadata["rpc.method"] == method.path)
        #expect(errors.first?.metadata["error"]?.contains("hunter2") == true)
    }

    @Test func anRPCErrorIsTheHandlersAnswerAndIsNotLogged() async throws {
        let (logger, records) = RecordingLogHandler.logger()
        try await withServer(config: .init(host: "127.0.0.1", logger: logger)) { _, port in
            try await withClient(port: port) { client, _ in
                let code = await statusCode {
                    _ = try await client.unary(EchoMethods.fail, request: TestMessage("gone"), responseType: TestMessage.self)
                }
                #expect(code == .notFound)
            }
        }
        #expect(records.all.isEmpty)
    }
}
