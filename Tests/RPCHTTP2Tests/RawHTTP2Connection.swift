import NIOCore
import NIOPosix
import Synchronization

/// One HTTP/2 frame, as written or read by `RawHTTP2Connection`.
struct RawFrame: Sendable {
    static let data: UInt8 = 0x0, headers: UInt8 = 0x1, rstStream: UInt8 = 0x3, settings: UInt8 = 0x4
    static let ping: UInt8 = 0x6, goaway: UInt8 = 0x7, windowUpdate: UInt8 = 0x8
    static let endStream: UInt8 = 0x1, ack: UInt8 = 0x1, endHeaders: UInt8 = 0x4

    var type: UInt8
    var flags: UInt8 = 0
    var streamID: UInt32 = 0
    var payload: [UInt8] = []

    var bytes: [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags]
            + RawFrame.bigEndian(streamID) + payload
    }

    /// The error code of a RST_STREAM or GOAWAY, the increment of a WINDOW_UPDATE.
    var code: UInt32? {
        switch type {
        case RawFrame.rstStream, RawFrame.windowUpdate: return RawFrame.readUInt32(payload, at: 0) & 0x7FFF_FFFF
        case RawFrame.goaway: return RawFrame.readUInt32(payload, at: 4)
        default: return nil
        }
    }

    /// The entries of a SETTINGS frame.
    var settings: [UInt16: UInt32] {
        var entries: [UInt16: UInt32] = [:]
        for start in stride(from: 0, to: payload.count - 5, by: 6) {
            entries[UInt16(payload[start]) << 8 | UInt16(payload[start + 1])] = RawFrame.readUInt32(payload, at: start + 2)
        }
        return entries
    }

    func has(_ flag: UInt8) -> Bool { flags & flag != 0 }

    /// A request header block: literal fields without indexing or Huffman (RFC 7541 §6.2.2).
    static func headerBlock(_ fields: [(String, String)]) -> [UInt8] {
        var block: [UInt8] = []
        for (name, value) in fields {
            block.append(0x00)
            for text in [name, value] {
                block += integer(text.utf8.count, prefixBits: 7)
                block += Array(text.utf8)
            }
        }
        return block
    }

    /// A gRPC length-prefixed message.
    static func grpcMessage(_ message: [UInt8]) -> [UInt8] {
        [0] + bigEndian(UInt32(message.count)) + message
    }

    static func grpcRequest(path: String, extra: [(String, String)] = []) -> [UInt8] {
        headerBlock(
            [
                (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "localhost"),
                ("content-type", "application/grpc"), ("te", "trailers"),
            ] + extra)
    }

    private static func integer(_ value: Int, prefixBits: Int) -> [UInt8] {
        let limit = (1 << prefixBits) - 1
        guard value >= limit else { return [UInt8(value)] }
        var out = [UInt8(limit)]
        var rest = value - limit
        while rest >= 128 {
            out.append(UInt8(rest & 0x7F | 0x80))
            rest >>= 7
        }
        out.append(UInt8(rest))
        return out
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func readUInt32(_ bytes: [UInt8], at start: Int) -> UInt32 {
        guard bytes.count >= start + 4 else { return 0 }
        return bytes[start..<start + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

/// A TCP connection that writes exactly the frames a test gives it (no HTTP/2 state machine to
/// correct them) and records every frame the server sends.
final class RawHTTP2Connection: Sendable {
    private let channel: any Channel
    private let inbox: Inbox

    private init(channel: any Channel, inbox: Inbox) {
        self.channel = channel
        self.inbox = inbox
    }

    /// Every frame received so far, in order.
    var frames: [RawFrame] { inbox.state.withLock { $0.frames } }
    var isClosed: Bool { inbox.state.withLock { $0.closed } }

    static func connect(port: Int) async throws -> RawHTTP2Connection {
        let inbox = Inbox()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(inbox) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawHTTP2Connection(channel: channel, inbox: inbox)
    }

    /// Runs `body` with a connection to `port`; always closes it.
    static func with<T>(port: Int, _ body: (RawHTTP2Connection) async throws -> T) async throws -> T {
        let connection = try await connect(port: port)
        defer { connection.channel.close(promise: nil) }
        return try await body(connection)
    }

    func send(_ frames: [RawFrame]) async throws {
        try await sendBytes(frames.flatMap(\.bytes))
    }

    func sendBytes(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// Client preface and SETTINGS; ACKs the server's SETTINGS, waits for the ACK of ours, then
    /// for a PING round trip, so the server has processed our ACK before the test goes on.
    func handshake() async throws {
        try await sendBytes(Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + RawFrame(type: RawFrame.settings).bytes)
        try await expect { $0.contains { $0.type == RawFrame.settings && !$0.has(RawFrame.ack) } }
        try await send([RawFrame(type: RawFrame.settings, flags: RawFrame.ack)])
        try await expect { $0.contains { $0.type == RawFrame.settings && $0.has(RawFrame.ack) } }
        try await ping()
    }

    /// Returns once the server has answered everything sent before: two PING round trips,
    /// because nghttp2 writes a PING ACK ahead of other frames queued at the same time, while
    /// the second ACK is queued only after that output went out.
    func settle() async throws {
        try await ping()
        try await ping()
    }

    /// Sends a PING and waits for its ACK: the server has read everything sent before it.
    func ping() async throws {
        let number = inbox.state.withLock { state in
            state.pingsSent += 1
            return UInt32(state.pingsSent)
        }
        let payload = RawFrame.bigEndian(0x7069_6E67) + RawFrame.bigEndian(number)
        try await send([RawFrame(type: RawFrame.ping, payload: payload)])
        try await expect { $0.contains { $0.type == RawFrame.ping && $0.has(RawFrame.ack) && $0.payload == payload } }
    }

    /// Polls the received frames for up to `seconds` until `condition` holds.
    func waitFor(_ seconds: Double = 5, _ condition: ([RawFrame]) -> Bool) async -> Bool {
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < end {
            if condition(frames) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(frames)
    }

    private func expect(_ condition: ([RawFrame]) -> Bool) async throws {
        guard await waitFor(5, condition) else { throw RawHTTP2Error(frames: frames, closed: isClosed) }
    }

    /// Splits the inbound bytes into frames.
    private final class Inbox: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer

        struct State {
            var pending: [UInt8] = []
            var frames: [RawFrame] = []
            var closed = false
            var pingsSent = 0
        }

        let state = Mutex(State())

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            state.withLock { state in
                state.pending += bytes
                while state.pending.count >= 9 {
                    let bytes = state.pending
                    let length = Int(bytes[0]) << 16 | Int(bytes[1]) << 8 | Int(bytes[2])
                    guard bytes.count >= 9 + length else { break }
                    let stream = bytes[5..<9].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } & 0x7FFF_FFFF
                    state.frames.append(
                        RawFrame(
                            type: bytes[3], flags: bytes[4], streamID: stream,
                            payload: Array(bytes[9..<9 + length])))
                    state.pending.removeFirst(9 + length)
                }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            state.withLock { $0.closed = true }
            context.fireChannelInactive()
        }
    }
}

/// The server did not send what the handshake waited for.
struct RawHTTP2Error: Error, CustomStringConvertible {
    var frames: [RawFrame]
    var closed: Bool
    var description: String {
        "closed=\(closed) frames=\(frames.map { "type \($0.type) stream \($0.streamID) code \($0.code.map(String.init) ?? "-")" })"
    }
}
