import NIOCore
import NIOHTTP2

/// Closes a gateway HTTP/2 connection `timeout` after the server sent GOAWAY.
///
/// Hummingbird ends an idle HTTP/2 connection with GOAWAY and a PING, and closes it once the
/// PING is acknowledged; a client that never acknowledges (a slowloris over HTTP/2) would keep
/// the connection, and stall the server's shutdown, for ever. With this handler such a client
/// gets the same `timeout` as an HTTP/1.1 client that never sends its next request head.
///
/// Sits right after `NIOHTTP2Handler`, where the connection's own frames pass (stream frames
/// go to the streams' channels). Confined to its channel's event loop.
final class GoAwayDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame
    typealias InboundOut = HTTP2Frame
    typealias OutboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        self.timeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if deadline == nil, case .goAway = unwrapOutboundIn(data).payload {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: timeout) {
                loopBound.value.close(promise: nil)
            }
        }
        context.write(data, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }
}
