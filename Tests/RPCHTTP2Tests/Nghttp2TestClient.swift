import NIOCore
import NIOPosix
@testable import RPCHTTP2
import Synchronization

/// What an HTTP/2 client saw on one stream.
struct ObservedStream: Sendable {
    /// Each received header block, in order (response headers, then trailers).
    var headerBlocks: [[String: String]] = []
    var dataBytes = 0
    /// Set once the stream closed: the RST_STREAM code, 0 for a normal close.
    var closeCode: UInt32?
}

/// A plain nghttp2 client session on a real socket, for wire behaviour our own client would hide:
/// requests carry any headers (a `grpc-timeout` the client does not enforce), and their body
/// never ends, so to the server the client is still sending.
final class Nghttp2TestClient: ChannelInboundHandler, Nghttp2SessionDelegate {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What the session saw, readable from the test.
    final class Record: Sendable {
        let streams = Mutex<[Int32: ObservedStream]>([:])
        func stream(_ id: Int32) -> ObservedStream? { streams.withLock { $0[id] } }
    }

    let record = Record()
    private var session: Nghttp2Session!
    private var context: ChannelHandlerContext?

    /// Connects to `port`, runs `body` with a way to start requests and the record; always closes.
    static func with<T>(port: Int, _ body: (_ request: @Sendable ([(String, String)]) async throws -> Int32, Record) async throws -> T) async throws -> T {
        let client = Nghttp2TestClient()
        let record = client.record
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        // Touched only on `loop`: the channel's initializer and `submit` run there.
        let bound = LoopBound(client, eventLoop: loop)
        let channel = try await ClientBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(bound.valueIfOnLoop!) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        defer { channel.close(promise: nil) }
        let request: @Sendable ([(String, String)]) async throws -> Int32 = { fields in
            try await loop.submit { bound.valueIfOnLoop!.submitRequest(fields) }.get()
        }
        return try await body(request, record)
    }

    private func submitRequest(_ fields: [(String, String)]) -> Int32 {
        var headers = HeaderBlock(capacity: fields.count)
        for (name, value) in fields { headers.add(name, value) }
        let id = session.submitRequest(headers: headers) ?? -1
        record.streams.withLock { $0[id] = ObservedStream() }
        flushOutput()
        return id
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        session = Nghttp2Session(options: .init(isServer: false, manualWindowUpdates: false), delegate: self)
        session.submitSettings([])
    }

    func channelActive(context: ChannelHandlerContext) {
        flushOutput()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard buffer.withUnsafeReadableBytes({ session.receive($0) }) else {
            context.close(promise: nil)
            return
        }
        flushOutput()
    }

    private func flushOutput() {
        guard let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: 1024)
        _ = session.drain(into: &buffer)
        if buffer.readableBytes > 0 { context.writeAndFlush(wrapOutboundOut(buffer), promise: nil) }
    }

    // MARK: Nghttp2SessionDelegate

    func beginHeaders(streamID: Int32, isRequest: Bool) {
        record.streams.withLock { $0[streamID, default: ObservedStream()].headerBlocks.append([:]) }
    }

    func header(streamID: Int32, name: String, value: String) -> Bool {
        record.streams.withLock { streams in
            guard var blocks = streams[streamID]?.headerBlocks, !blocks.isEmpty else { return }
            blocks[blocks.count - 1][name] = value
            streams[streamID]?.headerBlocks = blocks
        }
        return true
    }

    func headersComplete(streamID: Int32, endStream: Bool) {}

    func dataChunk(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        record.streams.withLock { $0[streamID, default: ObservedStream()].dataBytes += bytes.count }
    }

    func dataComplete(streamID: Int32, endStream: Bool) {}
    func settingsReceived() {}
    func goawayReceived(lastStreamID: Int32, errorCode: UInt32) {}

    /// The request body never ends.
    func readData(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer) -> DataSourceResult {
        .deferred
    }

    func frameSent(streamID: Int32, isHeaders: Bool, endStream: Bool) {}

    func streamClosed(streamID: Int32, errorCode: UInt32) {
        record.streams.withLock { $0[streamID, default: ObservedStream()].closeCode = errorCode }
    }
}
