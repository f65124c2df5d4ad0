import NIOCore
import NIOPosix
import RPC
@testable import RPCHTTP2
import Testing

/// Long-lived calls must never starve other calls of the server's concurrent-stream slots.
@Suite("ConnectionLanes: more connections when the open ones are full")
struct ConnectionLanesTests {
    /// A bidirectional call that the server holds open (`Stall`), until the task is cancelled.
    private static func openStall(_ transport: any ClientTransport) -> Task<Void, any Error> {
        Task {
            _ = try await transport.streaming(
                method: EchoMethods.stall, options: CallOptions(),
                requestProducer: { _ in try await Task.sleep(for: .seconds(60)) },
                onResponse: { response in for try await _ in response.messages {} }
            )
        }
    }

    @Test("calls past a connection's stream limit open another connection, up to the bound")
    func opensLanesWhenFull() async throws {
        let probe = CancellationProbe()
        try await withServer(config: .init(host: "127.0.0.1", maxConcurrentStreams: 2), probe: probe) { server, port in
            let lanes = ConnectionLanes(config: .init(host: "127.0.0.1", port: port), streamsPerConnection: 2, maxConnections: 3)
            let held = (0..<5).map { _ in Self.openStall(lanes) }
            #expect(await probe.eventually { probe.started == 5 }, "all five held calls run: none waits for a slot")
            #expect(lanes.connectionCount == 3)
            #expect(server.connectionCount == 3)
            // One slot left on the third connection: a unary call is answered at once.
            let client = RPCClient(transport: lanes)
            let reply = try await client.unary(
                EchoMethods.unary, request: TestMessage("x"), responseType: TestMessage.self,
                options: CallOptions(timeout: .seconds(5)))
            #expect(reply.message.text == "x")
            for task in held { task.cancel() }
            await lanes.close()
        }
    }

    @Test("open streams on a loop-local transport leave unary calls their own connection")
    func streamsDoNotStarveUnaryCalls() async throws {
        let probe = CancellationProbe()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        try await withServer(config: .init(host: "127.0.0.1", maxConcurrentStreams: 3), probe: probe) { _, port in
            let transport = LoopLocalClientTransport(
                config: .init(host: "127.0.0.1", port: port), group: group, streamsPerConnection: 3, maxConnectionsPerLoop: 1
            )
            // Every streaming slot this transport may use is taken.
            let held = (0..<3).map { _ in Self.openStall(transport) }
            #expect(await probe.eventually { probe.started == 3 })
            let client = RPCClient(transport: transport)
            for index in 0..<5 {
                let reply = try await client.unary(
                    EchoMethods.unary, request: TestMessage("\(index)"), responseType: TestMessage.self,
                    options: CallOptions(timeout: .seconds(5)))
                #expect(reply.message.text == "\(index)")
            }
            for task in held { task.cancel() }
            await transport.close()
        }
        try await group.shutdownGracefully()
    }
}
