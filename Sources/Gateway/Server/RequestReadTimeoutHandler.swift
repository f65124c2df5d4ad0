import NIOCore

/// Closes a connection whose client is too slow to send its request: the head must arrive
/// within `headerTimeout`, counted from the connection's start and again from the end of each
/// response (so an idle keep-alive connection is closed too); the body must then arrive within
/// `bodyTimeout` of the head, plus a second per `minBodyBytesPerSecond` bytes received, so a
/// large upload at a fair rate finishes while a client that declares 100 bytes and sends one
/// is cut off. A client dribbling header bytes (slowloris) never completes a head; one
/// dribbling a body never completes it in time. A long response such as an SSE stream is not
/// timed.
///
/// Sits after NIO's HTTP/1 decoder (`HTTP1Messages`), ahead of the fast path and the HTTP-types
/// codec, so it sees whole request heads and body parts, not bytes, and the responses of both
/// the fast path and the router. Confined to its channel's event loop, like every NIO handler.
///
/// A keep-alive connection waits for a head after every response, so the handler does not
/// schedule and cancel a timer per request: it moves a deadline, and one timer at a time
/// checks it when it fires, re-arming itself for a deadline that moved later.
final class RequestReadTimeoutHandler<Messages: FastPathMessages>: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = Messages.RequestPart
    typealias InboundOut = Messages.RequestPart
    typealias OutboundIn = Messages.ResponsePart
    typealias OutboundOut = Messages.ResponsePart

    private let headerTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private let minBodyBytesPerSecond: Int
    /// When the awaited head or body is due; nil while a request is being served.
    private var deadline: NIODeadline?
    /// While a body is read: when its head arrived and how many body bytes came since.
    private var body: (start: NIODeadline, bytes: Int)?
    private var timer: (task: Scheduled<Void>, due: NIODeadline)?

    init(limits: RequestReadLimits) {
        self.headerTimeout = Self.timeAmount(limits.headerTimeout)
        self.bodyTimeout = Self.timeAmount(limits.bodyTimeout)
        self.minBodyBytesPerSecond = max(1, limits.minBodyBytesPerSecond)
    }

    /// Only the head is timed (a body gets the same time, at 1 KiB/s at least).
    convenience init(timeout: Duration) {
        self.init(limits: RequestReadLimits(headerTimeout: timeout, bodyTimeout: timeout, minBodyBytesPerSecond: 1024))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { awaitHead(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        awaitHead(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Messages.split(unwrapInboundIn(data)) {
        case .head:
            let now = NIODeadline.now()
            body = (now, 0)
            moveDeadline(to: now + bodyTimeout, context)
        case .body(let buffer):
            if let start = body?.start {
                let bytes = (body?.bytes ?? 0) + buffer.readableBytes
                body = (start, bytes)
                // Every byte received earns time at the minimum rate.
                let earned = TimeAmount.nanoseconds(Int64(Double(bytes) / Double(minBodyBytesPerSecond) * 1e9))
                moveDeadline(to: start + bodyTimeout + earned, context)
            }
        case .end:
            body = nil
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // A response ending while the body is still read (an early error) keeps the body timed.
        if Messages.isEnd(unwrapOutboundIn(data)), body == nil { awaitHead(context) }
        context.write(data, promise: promise)
    }

    /// A head is due within `headerTimeout` from now.
    private func awaitHead(_ context: ChannelHandlerContext) {
        moveDeadline(to: NIODeadline.now() + headerTimeout, context)
    }

    private func moveDeadline(to due: NIODeadline, _ context: ChannelHandlerContext) {
        deadline = due
        // A later deadline is checked when the pending timer fires; an earlier one needs its own.
        if let timer, timer.due <= due { return }
        timer?.task.cancel()
        schedule(context, at: due)
    }

    private func schedule(_ context: ChannelHandlerContext, at due: NIODeadline) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) {
            let (handler, context) = loopBound.value
            handler.timerFired(context)
        }
        timer = (task, due)
    }

    private func timerFired(_ context: ChannelHandlerContext) {
        timer = nil
        // Serving a request: the next response's end sets a new deadline and a new timer.
        guard let deadline else { return }
        if deadline <= .now() {
            context.close(promise: nil)
        } else {
            schedule(context, at: deadline)
        }
    }

    private func stop() {
        timer?.task.cancel()
        timer = nil
        deadline = nil
        body = nil
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Reading-speed limits of `RequestReadTimeoutHandler`.
struct RequestReadLimits: Sendable {
    var headerTimeout: Duration
    var bodyTimeout: Duration
    var minBodyBytesPerSecond: Int
}
