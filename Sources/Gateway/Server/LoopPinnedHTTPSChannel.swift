import EventLoopExecution
import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import NIOHTTP2
import NIOSSL
import NIOTLS
import TLSSupport

/// The gateway's child channel over TLS: ALPN picks HTTP/2 (`h2`, what browsers ask for) or
/// HTTP/1.1 (`http/1.1`, or a client that offers no ALPN) per connection, and either way the
/// connection's task runs on its own event loop, as `LoopPinnedHTTP1Channel` does for cleartext.
///
/// Each connection takes the context's current certificate, so a rotated certificate is served
/// to new connections while open ones keep theirs. A handshake that does not finish within
/// `handshakeTimeout` is closed (the TLS part of the slowloris defence); after it, HTTP/1.1 has
/// the header-read timeout, and HTTP/2 the same value as its idle timeout and as the time a
/// client gets to go away after GOAWAY (`GoAwayDeadlineHandler`).
struct LoopPinnedHTTPSChannel: ServerChildChannel {
    /// What ALPN chose, once the handshake is done.
    enum Negotiated: Sendable {
        case http1(HTTP1Channel.Value)
        case http2(HTTP2Channel.Value)
    }

    /// ALPN agreed on a protocol the gateway never offered.
    struct UnexpectedProtocol: Error {
        let name: String
    }

    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let channel: any Channel
    }

    let tls: ReloadableTLSContext
    let handshakeTimeout: Duration
    let http1: HTTP1Channel
    let http2: HTTP2Channel
    let gate: ConnectionGate
    let limits: RequestReadLimits
    let fastPath: RESTFastPath?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard gate.admit(channel) else {
            logger.debug("connection refused: the gateway is at its connection limit", metadata: ["limit": "\(gate.limit)"])
            return channel.close().flatMapThrowing { throw ConnectionLimitReached() }
        }
        return channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(NIOSSLServerHandler(context: tls.current))
            try pipeline.addHandler(TLSHandshakeGuard(requiredProtocols: nil, timeout: handshakeTimeout, logger: logger))
            let alpn = NIOTypedApplicationProtocolNegotiationHandler<Negotiated> { result in
                switch result {
                case .negotiated("h2"):
                    return http2.setup(channel: channel, logger: logger).flatMapThrowing { connection in
                        let pipeline = channel.pipeline.syncOperations
                        let deadline = GoAwayDeadlineHandler(timeout: handshakeTimeout)
                        try pipeline.addHandler(deadline, position: .after(try pipeline.handler(type: NIOHTTP2Handler.self)))
                        return .http2(connection)
                    }
                case .negotiated("http/1.1"), .fallback:
                    return http1.setup(channel: channel, logger: logger).flatMapThrowing { connection in
                        try channel.pipeline.syncOperations.addGatewayHTTP1Rules(limits: limits, fastPath: fastPath)
                        return .http1(connection)
                    }
                case .negotiated(let other):
                    // Only h2 and http/1.1 are offered, so a client cannot get here honestly.
                    return channel.close().flatMapThrowing { throw UnexpectedProtocol(name: other) }
                }
            }
            try pipeline.addHandler(alpn)
            return Value(negotiated: alpn.protocolNegotiationResult, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop: value.channel.eventLoop)) {
            do {
                switch try await value.negotiated.get() {
                case .http1(let connection): await http1.handle(value: connection, logger: logger)
                case .http2(let connection): await http2.handle(value: connection, logger: logger)
                }
            } catch {
                // A failed handshake: the client gets the TLS alert, the log a debug line.
                logger.debug("TLS connection ended before HTTP", metadata: ["error": "\(error)"])
            }
        }
    }
}

extension HTTPServerBuilder {
    /// HTTPS with HTTP/2 and HTTP/1.1 by ALPN, every connection served on its own event loop.
    static func loopPinnedHTTPS(
        tls: ReloadableTLSContext, headerReadTimeout: Duration, http1: HTTP1Channel.Configuration, gate: ConnectionGate,
        limits: RequestReadLimits, fastPath: RESTFastPath?
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            LoopPinnedHTTPSChannel(
                tls: tls, handshakeTimeout: headerReadTimeout,
                http1: HTTP1Channel(responder: responder, configuration: http1),
                // No open stream for the header-read timeout: GOAWAY and close, as HTTP/1.1
                // closes a keep-alive connection that sends no next request head in time.
                http2: HTTP2Channel(
                    responder: responder,
                    configuration: .init(
                        idleTimeout: headerReadTimeout,
                        streamConfiguration: .init(
                            additionalChannelHandlers: fastPath.map { [RESTFastPathHandler<HTTPTypesMessages>(path: $0)] } ?? []))),
                gate: gate, limits: limits, fastPath: fastPath
            )
        }
    }
}
