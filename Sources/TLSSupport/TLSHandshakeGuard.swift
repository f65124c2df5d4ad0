import Logging
import NIOCore
import NIOTLS

/// Sits right after the server's `NIOSSLServerHandler`: closes a connection whose handshake has
/// not finished within `timeout` (a client that connects and stalls), and one whose handshake
/// agreed on no ALPN protocol from `requiredProtocols` (a gRPC listener refuses a client that
/// did not offer `h2`). Removes itself once the handshake is accepted.
///
/// BoringSSL finishes a handshake without ALPN when the client offered none we speak, so the
/// refusal happens here, at once after the handshake, before any application byte is read.
/// Every refusal and failed handshake (an untrusted or missing client certificate, a client
/// that does not trust ours, bytes that are not TLS) is logged at debug level with the peer.
public final class TLSHandshakeGuard: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer

    private let requiredProtocols: Set<String>?
    private let timeout: TimeAmount
    private let logger: Logger
    private var timer: Scheduled<Void>?
    /// Refused: bytes that arrive before the close completes go nowhere.
    private var refused = false

    /// - Parameters:
    ///   - requiredProtocols: ALPN protocols of which one must be agreed; nil accepts a
    ///     handshake without ALPN (HTTP/1.1 clients of the gateway).
    ///   - timeout: how long the handshake may take.
    ///   - logger: where refusals and failures go, at debug level.
    public init(requiredProtocols: Set<String>?, timeout: Duration, logger: Logger) {
        self.requiredProtocols = requiredProtocols
        self.logger = logger
        let (seconds, attoseconds) = timeout.components
        self.timeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let (handshakeGuard, context) = loopBound.value
            handshakeGuard.log("TLS handshake timed out", context)
            context.close(promise: nil)
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
            log("TLS handshake refused: no ALPN protocol in common", context, ["alpn": "\(negotiated ?? "none")"])
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Only handshake errors reach here: the guard leaves once the handshake is accepted.
        log("TLS handshake failed", context, ["error": "\(error)"])
        context.fireErrorCaught(error)
    }

    private func log(_ message: Logger.Message, _ context: ChannelHandlerContext, _ metadata: Logger.Metadata = [:]) {
        var metadata = metadata
        metadata["peer"] = "\(context.channel.remoteAddress.map { "\($0)" } ?? "unknown")"
        logger.debug(message, metadata: metadata)
    }
}
