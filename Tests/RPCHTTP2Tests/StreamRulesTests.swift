import RPCHTTP2
import Testing

/// RFC 9113 stream rules toward a peer that breaks them, with crafted frames over a real socket.
@Suite struct StreamRulesTests {
    private static let refusedStream: UInt32 = 0x7, streamClosed: UInt32 = 0x5

    /// RFC 9113 §5.1.2: a stream beyond SETTINGS_MAX_CONCURRENT_STREAMS is a stream error
    /// (REFUSED_STREAM), not the end of the connection, even after the client acknowledged it.
    @Test func streamBeyondMaxConcurrentStreamsIsRefusedAndTheConnectionLivesOn() async throws {
        // The handler cap is raised so that only MAX_CONCURRENT_STREAMS (100) can refuse.
        try await withServer(config: .init(host: "127.0.0.1", maxInFlightHandlersPerConnection: 1000)) { _, port in
            try await RawHTTP2Connection.with(port: port) { connection in
                try await connection.handshake()
                let advertised = connection.frames.first { $0.type == RawFrame.settings && !$0.has(RawFrame.ack) }
                #expect(advertised?.settings[0x3] == 100, "SETTINGS_MAX_CONCURRENT_STREAMS")
                let opens = (0..<101).map { index in
                    RawFrame(
                        type: RawFrame.headers, flags: RawFrame.endHeaders, streamID: UInt32(1 + 2 * index),
                        payload: RawFrame.grpcRequest(path: EchoMethods.bidi.path))
                }
                try await connection.send(opens)
                try await connection.settle()
                let resets = connection.frames.filter { $0.type == RawFrame.rstStream }
                #expect(resets.map(\.streamID) == [201], "only the 101st stream is refused")
                #expect(resets.first?.code == Self.refusedStream)
                #expect(!connection.frames.contains { $0.type == RawFrame.goaway })

                // The connection still serves: finish stream 1 and read its echo.
                try await connection.send([
                    RawFrame(
                        type: RawFrame.data, flags: RawFrame.endStream, streamID: 1,
                        payload: RawFrame.grpcMessage(Array("after".utf8)))
                ])
                let answered = await connection.waitFor { frames in
                    frames.contains { $0.streamID == 1 && $0.type == RawFrame.headers && $0.has(RawFrame.endStream) }
                }
                #expect(answered, "stream 1 ended with trailers")
                let echoed = connection.frames.filter { $0.streamID == 1 && $0.type == RawFrame.data }.flatMap(\.payload)
                #expect(echoed == RawFrame.grpcMessage(Array("echo:after".utf8)))
                #expect(!connection.isClosed)
            }
        }
    }

    /// RFC 9113 §5.1: DATA after the peer's END_STREAM is STREAM_CLOSED (nghttp2 makes it a
    /// connection error, as nghttpd does).
    @Test func dataAfterEndStreamIsStreamClosed() async throws {
        try await withServer { _, port in
            try await RawHTTP2Connection.with(port: port) { connection in
                try await connection.handshake()
                try await connection.send([
                    RawFrame(
                        type: RawFrame.headers, flags: RawFrame.endHeaders, streamID: 1,
                        payload: RawFrame.grpcRequest(path: EchoMethods.unary.path)),
                    RawFrame(type: RawFrame.data, flags: RawFrame.endStream, streamID: 1, payload: RawFrame.grpcMessage([1, 2, 3])),
                ])
                let answered = await connection.waitFor { frames in
                    frames.contains { $0.streamID == 1 && $0.type == RawFrame.headers && $0.has(RawFrame.endStream) }
                }
                #expect(answered)
                try await connection.send([RawFrame(type: RawFrame.data, streamID: 1, payload: RawFrame.grpcMessage([4]))])
                let goaway = await connection.waitFor { $0.contains { $0.type == RawFrame.goaway } }
                #expect(goaway)
                #expect(connection.frames.first { $0.type == RawFrame.goaway }?.code == Self.streamClosed)
            }
        }
    }

    /// A window above 65 535 is opened per stream by WINDOW_UPDATE, never by SETTINGS (which
    /// nghttp2 does not apply locally here), and nghttp2 counts flow control against it: the
    /// client may send more than 64 KiB before the handler reads anything.
    @Test func largerStreamWindowIsOpenedByWindowUpdate() async throws {
        let probe = CancellationProbe()
        let window = 1 << 20
        try await withServer(config: .init(host: "127.0.0.1", initialWindowSize: window), probe: probe) { _, port in
            try await RawHTTP2Connection.with(port: port) { connection in
                try await connection.handshake()
                let advertised = connection.frames.first { $0.type == RawFrame.settings && !$0.has(RawFrame.ack) }
                #expect(advertised?.settings[0x4] == nil, "no SETTINGS_INITIAL_WINDOW_SIZE")
                try await connection.send([
                    RawFrame(
                        type: RawFrame.headers, flags: RawFrame.endHeaders, streamID: 1,
                        payload: RawFrame.grpcRequest(path: EchoMethods.sink.path))
                ])
                try await connection.settle()
                let update = connection.frames.first { $0.type == RawFrame.windowUpdate && $0.streamID == 1 }
                #expect(update?.code == UInt32(window - 65_535))

                // 20 × 10 KiB, about 200 KiB, while the handler reads nothing.
                let message = RawFrame.grpcMessage([UInt8](repeating: 9, count: 10 * 1024))
                try await connection.send((0..<20).map { _ in RawFrame(type: RawFrame.data, streamID: 1, payload: message) })
                try await connection.settle()
                #expect(
                    !connection.frames.contains { $0.type == RawFrame.rstStream || $0.type == RawFrame.goaway },
                    "no FLOW_CONTROL_ERROR")
                probe.open()
                try await connection.send([RawFrame(type: RawFrame.data, flags: RawFrame.endStream, streamID: 1)])
                let answered = await connection.waitFor { frames in
                    frames.contains { $0.streamID == 1 && $0.type == RawFrame.headers && $0.has(RawFrame.endStream) }
                }
                #expect(answered)
                let reply = connection.frames.filter { $0.streamID == 1 && $0.type == RawFrame.data }.flatMap(\.payload)
                #expect(reply == RawFrame.grpcMessage(Array("20".utf8)))
            }
        }
    }
}
