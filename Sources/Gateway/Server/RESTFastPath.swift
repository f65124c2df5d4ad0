import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import RPC

/// The contract's unary routes served without Hummingbird's router: `RESTFastPathHandler` sits
/// in each connection's pipeline, picks the requests this type says it serves, and hands every
/// other request (page, OpenAPI, SSE, dev sign-in, legacy routes, probes, preflights, anything
/// odd) on to the Hummingbird application unchanged.
///
/// Why not all of Hummingbird: its per-request machinery (request context, responder chain,
/// middleware closures, response writer) costs more CPU on its own than the whole request
/// through a plain SwiftNIO handler, and the unary routes are most of the traffic. Why not no
/// Hummingbird at all: the other routes are many, rarely hot, and already correct there.
///
/// What the router's middlewares do to these routes is done here in the same order and with
/// the same types (`CORSMiddleware.addOrigin`, `RateLimiter.enforce`,
/// `AdmissionLimiter.admitRequest`, `ErrorBody`, `HTTPInstrumentCache`), sharing the router's
/// limiter and instrument instances, so both paths count against one limit. With tracing on
/// nothing takes the fast path: the server span is the router's.
final class RESTFastPath: Sendable {
    /// A request this path serves: the binding, its captured fields, the parsed URI.
    struct Route: Sendable {
        let binding: RESTBinding
        let captures: [(field: String, value: String)]
    }

    let gateway: OrdersGateway
    let rateLimiter: RateLimiter?
    let admission: AdmissionLimiter?
    let metrics: HTTPInstrumentCache?
    let logger: Logger
    let serverName: String

    init(
        gateway: OrdersGateway, rateLimiter: RateLimiter?, admission: AdmissionLimiter?, metrics: HTTPInstrumentCache?,
        logger: Logger, serverName: String
    ) {
        self.gateway = gateway
        self.rateLimiter = rateLimiter
        self.admission = admission
        self.metrics = metrics
        self.logger = logger
        self.serverName = serverName
    }

    /// The route for `head` when this path serves it: a unary binding's own method, a body
    /// (if any) of a declared length within the limit, no transfer coding, no `Expect`. Nil:
    /// the router answers (405s, 413s, 501s and `100-continue` included).
    func route(_ head: HTTPRequest) -> Route? {
        guard head.method == .get || head.method == .post, let target = head.path else { return nil }
        let fields = head.headerFields
        guard fields[.transferEncoding] == nil, fields[.expect] == nil else { return nil }
        guard let (binding, captures) = RESTContract.binding(for: head.method, path: URI(target).path),
            !binding.operation.isStreaming
        else { return nil }
        let length = fields[.contentLength]
        switch binding.body {
        case .none:
            guard length == nil || length == "0" else { return nil }
        case .all, .field:
            guard length.map({ Int($0).map { (0...gateway.config.maxBodyBytes).contains($0) } ?? false }) ?? true else { return nil }
        }
        return Route(binding: binding, captures: captures)
    }

    /// The response to a routed request, errors included (the grpc-gateway JSON shape), with
    /// CORS, `Date` and `Server` headers as the router adds them; counted in the metrics.
    func respond(to route: Route, head: HTTPRequest, body: ByteBuffer, remoteAddress: SocketAddress?, date: String) async -> (
        HTTPResponse, ByteBuffer
    ) {
        let start = ContinuousClock.now
        let request = Request(head: head, body: RequestBody(buffer: body))
        var response: Response
        do {
            response = try await serve(route, request: request, remoteAddress: remoteAddress)
        } catch {
            let body = ErrorBody(error, request: request)
            if body.code == .internal || body.code == .unknown {
                logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            response = body.response
        }
        if let origin = head.headerFields[.origin] {
            CORSMiddleware<GatewayRequestContext>.addOrigin(origin, allowedOrigins: gateway.config.allowedOrigins, to: &response.headers)
        }
        response.headers[.date] = date
        response.headers[.server] = serverName
        let collector = BodyCollector()
        do {
            try await response.body.write(collector)
        } catch {
            logger.error("response body failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
        }
        let bytes = collector.buffer.buffer
        response.headers[.contentLength] = String(bytes.readableBytes)
        metrics?.record(
            method: HTTPMetricsMiddleware<GatewayRequestContext>.methodLabel(head.method), route: route.binding.template.text,
            code: response.status.code, since: start)
        return (response.head, bytes)
    }

    /// The rate limit, admission, then the binding's RPC: the router's middleware order.
    private func serve(_ route: Route, request: Request, remoteAddress: SocketAddress?) async throws -> Response {
        if let rateLimiter {
            try rateLimiter.enforce(await gateway.clientKey(for: request, remoteAddress: remoteAddress))
        }
        if let admission { try await admission.admitRequest() }
        defer { admission?.release() }
        let call = try await RESTCall(
            binding: route.binding, captures: route.captures, request: request, gateway: gateway, remoteAddress: remoteAddress)
        return try await route.binding.handler(call)
    }
}

/// A response body gathered into one buffer (the contract's handlers answer with one anyway).
private struct BodyCollector: ResponseBodyWriter {
    /// A reference, so the bytes survive `finish` consuming the writer.
    final class Buffer {
        var buffer = ByteBuffer()
    }

    let buffer = Buffer()

    func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        self.buffer.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
