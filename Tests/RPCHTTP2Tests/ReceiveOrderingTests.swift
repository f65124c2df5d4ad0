import RPCHTTP2
import Testing

/// Frames received in one read batch all pass through nghttp2 before any response is written, so
/// a protocol error in a later frame wins over an answer that was ready earlier (RFC 9113 §6.9,
/// §8.1).
///
/// Each case is one TCP write: a request the server answers at once (415: not gRPC), 4 KiB of an
/// unknown frame type (ignored, RFC 9113 §5.5), then the offending frame. NIO's first read of a
/// connection takes at most 2 KiB, so the server gets these in several `channelRead`s of one batch.
@Suite struct ReceiveOrderingTests {
    private static let protocolError: UInt32 = 0x1, flowControlError: UInt32 = 0x3

    private static let nonGRPC = RawFrame(
        type: RawFrame.headers, flags: RawFrame.endHeaders, streamID: 1,
        payload: RawFrame.headerBlock([
            (":method", "POST"), (":scheme", "http"), (":path", EchoMethods.unary.path),
            (":authority", "localhost"), ("content-type", "text/plain"),
        ]))
    private static let filler = RawFrame(type: 0xFA, payload: [UInt8](repeating: 0, count: 4096))

    @Test(arguments: [
        (RawFrame(type: RawFrame.windowUpdate, streamID: 1, payload: RawFrame.bigEndian(0)), protocolError),
        (RawFrame(type: RawFrame.windowUpdate, streamID: 1, payload: RawFrame.bigEndian(0x7FFF_FFFF)), flowControlError),
        (
            RawFrame(
                type: RawFrame.headers, flags: RawFrame.endHeaders, streamID: 1,
                payload: RawFrame.headerBlock([("x-trailer", "1")])), protocolError
        ),
    ])
    func protocolErrorInALaterReadWinsOverAReadyAnswer(frame: RawFrame, code: UInt32) async throws {
        try await withServer { _, port in
            try await RawHTTP2Connection.with(port: port) { connection in
                try await connection.handshake()
                try await connection.send([Self.nonGRPC, Self.filler, frame])
                // RFC 9113 §5.4.1 lets a stream error end the whole connection (nghttp2 does for a
                // zero increment): the first RST_STREAM on stream 1 or GOAWAY carries the verdict.
                let isVerdict: (RawFrame) -> Bool = {
                    ($0.type == RawFrame.rstStream && $0.streamID == 1) || $0.type == RawFrame.goaway
                }
                #expect(await connection.waitFor { $0.contains(where: isVerdict) }, "no RST_STREAM on stream 1, no GOAWAY")
                let verdict = connection.frames.first(where: isVerdict)
                #expect(verdict?.code == code, "type \(verdict?.type ?? 0), code \(verdict?.code.map(String.init) ?? "-")")
            }
        }
    }
}
