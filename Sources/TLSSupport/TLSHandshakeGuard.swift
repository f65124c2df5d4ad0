import NIOCore
import NIOTLS

/// Sits right after the server's `NIOSSLServerHandler`: closes a connection whose handshake has
/// not finished within `timeout` (a client that connects and stalls), and one whose handshake
/// agreed on no ALPN protocol from `requiredProtocols` (a gRPC listener refuses a client that
/// did not offer `h2`). Removes itself once the handshake is accepted.
///
/// BoringSSL finishes a handshake without ALPN when the client offered none we speak, so the
/// refusal happens here, at once after the handshake, before any application byte is read.
public final class TLSHandshakeGuard: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer

    private let requiredProtocols: Set<String>?
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    /// Refused: bytes that arrive before the close completes go nowhere.
    private var refused = false

    /// - Parameters:
    ///   - requiredProtocols: ALPN protocols of which one must be agreed; nil accepts a
    ///     handshake without ALPN (HTTP/1.1 clients of the gateway).
    ///   - timeout: how long the handshake may take.
    public init(requiredProtocols: Set<String>?, timeout: Duration) {
        self.requiredProtocols = requiredProtocols
        let (seconds, attoseconds) = timeout.components
        self.timeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            loopBound.value.close(promise: nil)
        }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        context.fireChannelRead(data)
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case TLSUserEvent.handshakeCompleted(let negotiated) = event else {
            return context.fireUserInboundEventTriggered(event)
        }
        timer?.cancel()
        timer = nil
        if let requiredProtocols, !requiredProtocols.contains(negotiated ?? "") {
            // close_notify, then the socket: the client sees a clean end, not a reset.
            refused = true
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
