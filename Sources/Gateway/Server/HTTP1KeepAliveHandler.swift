import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Keeps HTTP/1.0's connection rules, which the HTTP-types layer above cannot see (it has no
/// version): a request without keep-alive (HTTP/1.0 by default, or `Connection: close`) is
/// answered and the connection closed, and an HTTP/1.0 client gets an HTTP/1.0 response, so a
/// body of unknown length is ended by the close instead of chunked coding it cannot read.
///
/// Sits between NIO's HTTP/1 decoder and the HTTP-types codec. Marking the head
/// `Connection: close` is what tells Hummingbird to close after the response. Requests may be
/// pipelined, so each head's rules wait in a queue until its response starts.
/// Confined to its channel's event loop, like every NIO handler.
final class HTTP1KeepAliveHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private struct Rules {
        var version: HTTPVersion
        var keepAlive: Bool
    }

    private var pending: [Rules] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        let rules = Rules(version: head.version, keepAlive: head.isKeepAlive)
        pending.append(rules)
        if !rules.keepAlive {
            head.headers.replaceOrAdd(name: "connection", value: "close")
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where !pending.isEmpty:
            let rules = pending.removeFirst()
            if rules.version.major == 1 && rules.version.minor == 0 {
                head.version = .http1_0
            }
            if !rules.keepAlive {
                head.headers.replaceOrAdd(name: "connection", value: "close")
            } else if rules.version.minor == 0 {
                // An HTTP/1.0 client keeps the connection only when told so.
                head.headers.replaceOrAdd(name: "connection", value: "keep-alive")
            }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }
}

extension ChannelPipeline.SynchronousOperations {
    /// Adds the gateway's own HTTP/1 rules in front of the HTTP-types codec that Hummingbird's
    /// HTTP/1 channel set up: the keep-alive rules, the read timeouts, and the fast path
    /// (`RESTFastPathHandler`), all on NIO's HTTP/1 parts.
    func addGatewayHTTP1Rules(limits: RequestReadLimits, fastPath: RESTFastPath?) throws {
        let codec = try context(handlerType: HTTP1ToHTTPServerCodec.self).handler
        try addHandler(HTTP1KeepAliveHandler(), position: .before(codec))
        try addHandler(RequestReadTimeoutHandler<HTTP1Messages>(limits: limits), position: .before(codec))
        if let fastPath {
            try addHandler(RESTFastPathHandler<HTTP1Messages>(path: fastPath), position: .before(codec))
        }
    }
}
