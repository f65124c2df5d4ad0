import NIOCore
import NIOTLS
import RPC

/// Sits after the client's `NIOSSLClientHandler` and tells the connecting task how the TLS
/// handshake ended, so a certificate the client does not trust, a wrong server name or a server
/// that does not speak `h2` is a failed connection attempt (UNAVAILABLE with the reason, and
/// backoff), not a connection that dies under its first call. Removes itself once the
/// handshake succeeded.
final class ClientHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let promise: EventLoopPromise<Void>
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?

    /// The handshake's outcome: succeeds once it completed with `h2`.
    var outcome: EventLoopFuture<Void> { promise.futureResult }

    init(eventLoop: any EventLoop, timeout: Duration) {
        self.promise = eventLoop.makePromise()
        self.timeout = .nanoseconds(timeout.nanoseconds)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let (waiter, context) = loopBound.value
            waiter.fail(context, RPCError(code: .unavailable, message: "TLS handshake timed out"))
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        promise.fail(RPCError(code: .unavailable, message: "connection closed during the TLS handshake"))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case TLSUserEvent.handshakeCompleted(let negotiated) = event else {
            return context.fireUserInboundEventTriggered(event)
        }
        guard negotiated == "h2" else {
            return fail(context, RPCError(code: .unavailable, message: "the server did not agree to HTTP/2 (ALPN h2)"))
        }
        timer?.cancel()
        promise.succeed()
        context.fireUserInboundEventTriggered(event)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context, RPCError(code: .unavailable, message: "TLS handshake failed: \(error)"))
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(RPCError(code: .unavailable, message: "connection closed during the TLS handshake"))
        context.fireChannelInactive()
    }

    private func fail(_ context: ChannelHandlerContext, _ error: RPCError) {
        timer?.cancel()
        promise.fail(error)
        context.close(promise: nil)
    }
}
