import EventLoopExecution
import NIOCore
import NIOPosix
import RPC
@testable import RPCHTTP2
import Testing

@Suite("LoopLocalClientTransport")
struct LoopLocalClientTransportTests {
    @Test("a call made on a loop's thread takes that loop's own connection")
    func callsUseTheirLoopsConnection() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        try await withServer { _, port in
            let transport = LoopLocalClientTransport(config: .init(host: "127.0.0.1", port: port), group: group)
            let client = RPCClient(transport: transport)
            // The server sees each connection as a peer address.
            var peersByLoop: [[String]] = []
            for loop in group.makeIterator() {
                var peers: [String] = []
                for _ in 0..<3 {
                    let answer = try await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop: loop)) {
                        try await client.unary(EchoMethods.peer, request: TestMessage(""), responseType: TestMessage.self)
                    }
                    peers.append(answer.message.text)
                }
                peersByLoop.append(peers)
            }
            await transport.close()
            #expect(peersByLoop.allSatisfy { Set($0).count == 1 }, "\(peersByLoop)")
            #expect(Set(peersByLoop.joined()).count == 2, "\(peersByLoop)")
        }
        try await group.shutdownGracefully()
    }

    @Test("calls from outside the loops are spread over every loop's connection")
    func callsFromElsewhereGoRoundRobin() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        try await withServer { _, port in
            let transport = LoopLocalClientTransport(config: .init(host: "127.0.0.1", port: port), group: group)
            let client = RPCClient(transport: transport)
            var peers: Set<String> = []
            for _ in 0..<4 {
                let answer = try await client.unary(EchoMethods.peer, request: TestMessage(""), responseType: TestMessage.self)
                peers.insert(answer.message.text)
            }
            await transport.close()
            #expect(peers.count == 2, "\(peers)")
        }
        try await group.shutdownGracefully()
    }
}
