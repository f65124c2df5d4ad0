import NIOCore
import RPC
import RPCHTTP2
import RPCTestSupport
import Testing

/// Keepalive PINGs find a connection a silent partition left open, and leave live ones alone.
@Suite struct KeepaliveTests {
    /// Short keepalive settings so a test sees a dead connection within about a second.
    static func quick(_ config: inout HTTP2ClientTransport.Config) {
        config.keepalive = .init(time: .milliseconds(300), timeout: .milliseconds(1500))
    }

    @Test func callOnAFrozenConnectionFailsUnavailableAndTheNextCallReconnects() async throws {
        try await withServer { _, port in
            try await FreezableRelay.with(targetPort: port) { relay in
                try await withClient(port: relay.port, config: Self.quick) { client, _ in
                    let first = try await client.unary(EchoMethods.unary, request: TestMessage("1"), responseType: TestMessage.self)
                    #expect(first.message.text == "1")
                    relay.freeze()
                    // Without keepalive this call would wait out its whole deadline: nothing
                    // answers and TCP sees no error. The deadline bounds the test only.
                    let code = await statusCode {
                        _ = try await client.unary(
                            EchoMethods.unary, request: TestMessage("2"), responseType: TestMessage.self,
                            options: .init(timeout: .seconds(30)))
                    }
                    #expect(code == .unavailable)
                    let third = try await client.unary(
                        EchoMethods.unary, request: TestMessage("3"), responseType: TestMessage.self,
                        options: .init(timeout: .seconds(30)))
                    #expect(third.message.text == "3")
                    #expect(relay.connections == 2, "the dead connection was replaced by one new connection")
                }
            }
        }
    }

    @Test func quietCallOnALiveConnectionOutlastsSeveralPings() async throws {
        try await withServer { _, port in
            try await FreezableRelay.with(targetPort: port) { relay in
                try await withClient(port: relay.port, config: Self.quick) { client, _ in
                    // 4 s of silence: several PINGs, each answered in time.
                    let reply = try await client.unary(
                        EchoMethods.sleep, request: TestMessage("4000"), responseType: TestMessage.self,
                        options: .init(timeout: .seconds(30)))
                    #expect(reply.message.text == "4000")
                    #expect(relay.connections == 1, "the live connection was kept")
                }
            }
        }
    }

    @Test func serverAnswersFrequentPingsWithoutGoaway() async throws {
        // Room on a loaded machine: a connection that opens no stream is closed after
        // prefaceTimeout plus a grace, and that rule is not what is tested here.
        try await withServer(config: .init(host: "127.0.0.1", prefaceTimeout: .seconds(60))) { _, port in
            try await RawHTTP2Connection.with(port: port) { connection in
                try await connection.handshake()
                // Far more, and far closer together, than any keepalive sends; no call is open.
                let pings = (1...100).map { RawFrame(type: RawFrame.ping, payload: RawFrame.bigEndian(0x6B65_6570) + RawFrame.bigEndian(UInt32($0))) }
                for burst in stride(from: 0, to: pings.count, by: 20) {
                    try await connection.send(Array(pings[burst..<burst + 20]))
                }
                let answered = await connection.waitFor(20) { frames in
                    frames.filter { $0.type == RawFrame.ping && $0.has(RawFrame.ack) && $0.payload.starts(with: RawFrame.bigEndian(0x6B65_6570)) }.count == 100
                }
                #expect(answered, "every PING was acknowledged")
                #expect(!connection.frames.contains { $0.type == RawFrame.goaway })
                #expect(!connection.isClosed)
            }
            try await withClient(port: port) { client, _ in
                let reply = try await client.unary(EchoMethods.unary, request: TestMessage("ok"), responseType: TestMessage.self)
                #expect(reply.message.text == "ok")
            }
        }
    }
}
