import NIOCore

/// First handler of a cleartext connection on a listener with an `HTTP1Responder`: reads the
/// first bytes and picks the protocol. HTTP/2's client preface (`PRI * HTTP/2.0…`) hands the
/// connection, bytes read so far included, to the gRPC connection handler; anything else is one
/// HTTP/1.1 request, answered by the responder, after which the connection closes.
///
/// A connection that has not shown a complete request head within `timeout` is closed, as is
/// one whose head grows beyond 8 KiB.
final class HTTP1Sniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private static let preface: [UInt8] = Array("PRI ".utf8)
    private static let maxHeadBytes = 8192

    private enum Mode { case deciding, http1, answered }

    private let responder: HTTP1Responder
    private let timeout: Duration
    private let http2: any ChannelHandler
    private var mode = Mode.deciding
    private var received: ByteBuffer?
    private var timer: Scheduled<Void>?

    init(responder: HTTP1Responder, timeout: Duration, http2: any ChannelHandler) {
        self.responder = responder
        self.timeout = timeout
        self.http2 = http2
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard mode != .answered else { return }
        if received == nil { received = buffer } else { received!.writeBuffer(&buffer) }
        let bytes = received!.readableBytesView
        if mode == .deciding {
            let shown = min(bytes.count, Self.preface.count)
            if bytes.prefix(shown).elementsEqual(Self.preface.prefix(shown)) {
                guard shown == Self.preface.count else { return }
                return handOverToHTTP2(context: context)
            }
            mode = .http1
        }
        guard let end = Self.headEnd(in: bytes) else {
            if bytes.count > Self.maxHeadBytes {
                answer(context: context, .init(status: 431, contentType: "text/plain", body: Array("request head too large\n".utf8)))
            }
            return
        }
        let requestLine = String(decoding: bytes[bytes.startIndex..<end].prefix { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            return answer(context: context, .init(status: 400, contentType: "text/plain", body: Array("bad request\n".utf8)))
        }
        mode = .answered
        let responder = self.responder
        let (method, target) = (String(parts[0]), String(parts[1]))
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let promise = context.eventLoop.makePromise(of: HTTP1Responder.Response.self)
        promise.completeWithTask { await responder.respond(method, target) }
        promise.futureResult.whenSuccess { response in
            let (handler, context) = bound.value
            handler.answer(context: context, response)
        }
    }

    private func handOverToHTTP2(context: ChannelHandlerContext) {
        mode = .answered
        let buffered = received.take()
        do {
            try context.pipeline.syncOperations.addHandler(http2, position: .after(self))
        } catch {
            context.close(promise: nil)
            return
        }
        if let buffered { context.fireChannelRead(wrapInboundOut(buffered)) }
        context.pipeline.syncOperations.removeHandler(self, promise: nil)
    }

    private func answer(context: ChannelHandlerContext, _ response: HTTP1Responder.Response) {
        mode = .answered
        timer?.cancel()
        var head = "HTTP/1.1 \(response.status) \(HTTP1Responder.reason(response.status))\r\n"
        head += "Content-Type: \(response.contentType)\r\nContent-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        var out = context.channel.allocator.buffer(capacity: head.utf8.count + response.body.count)
        out.writeString(head)
        out.writeBytes(response.body)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in channel.close(promise: nil) }
    }

    /// Where the request head ends (`\r\n\r\n`), or nil when it has not all arrived.
    private static func headEnd(in bytes: ByteBufferView) -> ByteBufferView.Index? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4 else { return nil }
        var index = bytes.startIndex
        while index + 4 <= bytes.endIndex {
            if bytes[index..<index + 4].elementsEqual(terminator) { return index }
            index += 1
        }
        return nil
    }
}
