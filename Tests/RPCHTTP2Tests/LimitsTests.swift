import NIOCore
import NIOPosix
import RPC
import RPCTestSupport
import Testing
@testable import RPCHTTP2

@Suite struct LimitsTests {
    @Test func requestOverTheReceiveLimitIsResourceExhausted() async throws {
        try await withServer(config: .init(host: "127.0.0.1", maxReceiveMessageSize: 1000)) { _, port in
            try await withClient(port: port) { client, _ in
                let code = await statusCode {
                    _ = try await client.unary(EchoMethods.unary, request: TestMessage([UInt8](repeating: 1, count: 1001)), responseType: TestMessage.self)
                }
                #expect(code == .resourceExhausted)
                let reply3 = try await client.unary(EchoMethods.unary, request: TestMessage([UInt8](repeating: 1, count: 1000)), responseType: TestMessage.self)
                #expect(reply3.message.bytes.count == 1000)
            }
        }
    }

    @Test func defaultReceiveLimitIsOneMebibyte() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                let code = await statusCode {
                    _ = try await client.unary(
                        EchoMethods.unary, request: TestMessage([UInt8](repeating: 1, count: (1 << 20) + 1)), responseType: TestMessage.self)
                }
                #expect(code == .resourceExhausted)
                let reply4 = try await client.unary(EchoMethods.unary, request: TestMessage("still serving"), responseType: TestMessage.self)
                #expect(reply4.message.text == "still serving")
            }
        }
    }

    @Test func responseOverTheSendLimitIsInternal() async throws {
        try await withServer(config: .init(host: "127.0.0.1", maxSendMessageSize: 100)) { _, port in
            try await withClient(port: port) { client, _ in
                let code = await statusCode {
                    _ = try await client.unary(EchoMethods.big, request: TestMessage("101"), responseType: TestMessage.self)
                }
                #expect(code == .internal)
                let reply5 = try await client.unary(EchoMethods.big, request: TestMessage("100"), responseType: TestMessage.self)
                #expect(reply5.message.bytes.count == 100)
            }
        }
    }

    @Test func clientReceiveLimitIsResourceExhausted() async throws {
        try await withServer { _, port in
            try await withClient(port: port, config: { $0.maxReceiveMessageSize = 10 }) { client, _ in
                let code = await statusCode {
                    _ = try await client.unary(EchoMethods.big, request: TestMessage("11"), responseType: TestMessage.self)
                }
                #expect(code == .resourceExhausted)
            }
        }
    }

    @Test func headerListOverTheLimitIsResourceExhausted() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                var options = CallOptions()
                for index in 0..<40 { options.metadata.add("x-pad-\(index)", String(repeating: "a", count: 200)) }
                let code = await statusCode {
                    _ = try await client.unary(EchoMethods.unary, request: TestMessage("x"), responseType: TestMessage.self, options: options)
                }
                #expect(code == .resourceExhausted)
                let reply6 = try await client.unary(EchoMethods.unary, request: TestMessage("ok"), responseType: TestMessage.self)
                #expect(reply6.message.text == "ok")
            }
        }
    }

    @Test func handlersStillRunningAfterResetCountTowardsTheInFlightCap() async throws {
        let probe = CancellationProbe()
        try await withServer(config: .init(host: "127.0.0.1", maxInFlightHandlersPerConnection: 1), probe: probe) { _, port in
            try await withClient(port: port) { client, _ in
                // The first call times out on the client (RST_STREAM); its handler keeps running.
                let first = await statusCode {
                    _ = try await client.unary(
                        EchoMethods.gated, request: TestMessage("1"), responseType: TestMessage.self,
                        options: CallOptions(timeout: .milliseconds(100)))
                }
                #expect(first == .deadlineExceeded)
                #expect(probe.started == 1)
                let refused = await statusCode {
                    _ = try await client.unary(EchoMethods.unary, request: TestMessage("2"), responseType: TestMessage.self)
                }
                #expect(refused == .unavailable, "REFUSED_STREAM while the reset call's handler still runs")
                probe.open()
                #expect(await probe.eventually { probe.finished == 1 })
                let reply7 = try await client.unary(EchoMethods.unary, request: TestMessage("3"), responseType: TestMessage.self)
                #expect(reply7.message.text == "3")
            }
        }
    }

    @Test func connectionsBeyondTheLimitAreRefusedWhileEveryConnectionIsBusy() async throws {
        let probe = CancellationProbe()
        try await withServer(config: .init(host: "127.0.0.1", maxConnections: 1), probe: probe) { server, port in
            try await withClient(port: port) { first, _ in
                // The one connection is busy with a call waiting at the gate.
                let busy = Task { try await first.unary(EchoMethods.gated, request: TestMessage("a"), responseType: TestMessage.self) }
                #expect(await probe.eventually { probe.started == 1 })
                try await withClient(port: port) { second, _ in
                    let code = await statusCode {
                        _ = try await second.unary(EchoMethods.unary, request: TestMessage("b"), responseType: TestMessage.self)
                    }
                    #expect(code == .unavailable)
                }
                #expect(server.connectionCount == 1)
                probe.open()
                #expect(try await busy.value.message.text == "a")
            }
        }
    }

    @Test func aNewConnectionEvictsTheLongestIdleOneAtTheLimit() async throws {
        try await withServer(config: .init(host: "127.0.0.1", maxConnections: 2)) { server, port in
            try await withClient(port: port) { oldest, _ in
                _ = try await oldest.unary(EchoMethods.unary, request: TestMessage("1"), responseType: TestMessage.self)
                try await withClient(port: port) { younger, _ in
                    _ = try await younger.unary(EchoMethods.unary, request: TestMessage("2"), responseType: TestMessage.self)
                    // Both idle, the server full: a third client still gets in; the oldest goes.
                    try await withClient(port: port) { third, _ in
                        let reply = try await third.unary(EchoMethods.unary, request: TestMessage("3"), responseType: TestMessage.self)
                        #expect(reply.message.text == "3")
                        let probe = CancellationProbe()
                        #expect(await probe.eventually { server.connectionCount == 2 }, "the longest-idle connection was closed")
                        // The younger connection was kept: its next call needs no new connection.
                        let again = try await younger.unary(EchoMethods.unary, request: TestMessage("4"), responseType: TestMessage.self)
                        #expect(again.message.text == "4")
                        #expect(server.connectionCount == 2)
                    }
                }
            }
        }
    }

    @Test func idleConnectionsMakeRoomFromTheEvictionFractionOn() {
        let registry = ConnectionRegistry(limit: 10, evictionThreshold: 9)
        #expect(registry.evictionThreshold == 9)
        #expect(ConnectionRegistry(limit: 10, evictionThreshold: 50).evictionThreshold == 10)
        #expect(RPCServer.Config().idleEvictionFraction == 0.9)
    }

    @Test func aConnectionThatNeverAsksForAnythingIsClosed() async throws {
        // Room for the handshake's round trips on a loaded machine: the preface window is not
        // what is tested here, the close after it is. The connection is closed at the preface
        // window plus the grace, counted from its accept; under `swift test --parallel` on a slow
        // 2-core VM the handshake alone took over 4 s, and its next write found the socket closed.
        var config = RPCServer.Config(host: "127.0.0.1", prefaceTimeout: .seconds(10))
        config.unusedConnectionGrace = .seconds(1)
        try await withServer(config: config) { server, port in
            // A client that greets properly (preface, SETTINGS, ACKs, PING) but makes no call.
            try await RawHTTP2Connection.with(port: port) { connection in
                try await connection.handshake()
                #expect(
                    await connection.waitFor(30) { frames in frames.contains { $0.type == RawFrame.goaway } },
                    "GOAWAY for the unused connection")
                let probe = CancellationProbe()
                #expect(await probe.eventually(10) { connection.isClosed }, "the unused connection was closed")
                #expect(await probe.eventually { server.connectionCount == 0 })
            }
        }
    }

    @Test func silentConnectionIsClosedAfterThePrefaceTimeout() async throws {
        try await withServer(config: .init(host: "127.0.0.1", prefaceTimeout: .milliseconds(200))) { server, port in
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
            let probe = CancellationProbe()
            #expect(await probe.eventually { !channel.isActive }, "the server closed the connection")
            #expect(server.connectionCount == 0)
        }
    }

    @Test func idleConnectionGetsGoawayAndTheClientReconnects() async throws {
        try await withServer(config: .init(host: "127.0.0.1", idleTimeout: .milliseconds(500))) { server, port in
            try await withClient(port: port) { client, _ in
                let reply10 = try await client.unary(EchoMethods.unary, request: TestMessage("1"), responseType: TestMessage.self)
                #expect(reply10.message.text == "1")
                let probe = CancellationProbe()
                #expect(await probe.eventually { server.connectionCount == 0 }, "the idle connection was closed")
                let reply11 = try await client.unary(EchoMethods.unary, request: TestMessage("2"), responseType: TestMessage.self)
                #expect(reply11.message.text == "2")
            }
        }
    }

    @Test func maxConnectionAgeDrainsAndClientsMoveOn() async throws {
        try await withServer(config: .init(host: "127.0.0.1", maxConnectionAge: .milliseconds(200), maxConnectionAgeJitter: 0)) { _, port in
            try await withClient(port: port) { client, _ in
                for index in 0..<10 {
                    let reply12 = try await client.unary(EchoMethods.unary, request: TestMessage("\(index)"), responseType: TestMessage.self)
                    #expect(reply12.message.text == "\(index)")
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
        }
    }

    @Test func maxConcurrentStreamsIsAdvertisedAndHonoured() async throws {
        let probe = CancellationProbe()
        try await withServer(config: .init(host: "127.0.0.1", maxConcurrentStreams: 2), probe: probe) { _, port in
            try await withClient(port: port) { client, _ in
                // The client's nghttp2 session queues streams beyond the server's SETTINGS.
                try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<6 {
                        group.addTask {
                            try await client.unary(EchoMethods.hold, request: TestMessage("\(index)"), responseType: TestMessage.self).message.text
                        }
                    }
                    var answers: [String] = []
                    for try await answer in group { answers.append(answer) }
                    #expect(answers.sorted() == (0..<6).map { "\($0)" })
                }
                #expect(probe.maxRunning <= 2)
                #expect(probe.maxRunning >= 1)
            }
        }
    }
}
