import EventLoopExecution
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import RPC

/// The contract's unary routes served without Hummingbird: `RESTFastPathHandler` sits in each
/// connection's pipeline, picks the requests this type says it serves, and hands every other
/// request (page, OpenAPI, SSE, dev sign-in, legacy routes, probes, preflights, anything odd)
/// on to the Hummingbird application unchanged.
///
/// Why not all of Hummingbird: its per-request machinery (request context, responder chain,
/// middleware closures, response writer, a task per request) costs more CPU on its own than
/// the whole request through a plain SwiftNIO handler, and the unary routes are most of the
/// traffic. Why not no Hummingbird at all: the other routes are many, rarely hot, and already
/// correct there.
///
/// A request is parsed, routed, mapped to its RPC (`RESTBinding.unary`), called and answered
/// on the connection's event loop, from callbacks: no task, no continuation, no thread hop
/// when the RPC client keeps its connections on the same loops (`CallbackClientTransport`).
/// Only a rate limit (whose client key may need an `async` token check) or an admission limit
/// that would have to queue the request runs those steps in a task on the loop first.
///
/// What the router's middlewares do to these routes is done here in the same order and with
/// the same types (`CORSMiddleware.addOrigin`, `RateLimiter.enforce`,
/// `AdmissionLimiter.admitRequest`, `ErrorBody`, `HTTPInstrumentCache`), sharing the router's
/// limiter and instrument instances, so both paths count against one limit. With tracing on
/// nothing takes the fast path: the server span is the router's.
final class RESTFastPath: Sendable {
    /// A request this path serves: the binding and its captured fields.
    struct Route: Sendable {
        let binding: RESTBinding
        let captures: [(field: String, value: String)]
    }

    /// A request as the connection read it: method, target (path and query), header fields.
    struct Head: Sendable {
        let method: HTTPRequest.Method
        let target: String
        let headers: RESTHeaders
    }

    /// A finished response: the status, its header fields, the body. The fields are NIO's
    /// HTTP/1 headers, which the HTTP/1.1 connection (most of the traffic) writes as they are.
    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPHeaders
        var body: ByteBuffer

        init(status: HTTPResponse.Status, contentType: String, body: ByteBuffer) {
            self.status = status
            // Room for every field `RESTFastPath.answer` may add: one allocation per answer.
            headers = HTTPHeaders()
            headers.reserveCapacity(8)
            headers.add(name: "Content-Type", value: contentType)
            self.body = body
        }
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

    /// The route for `head` when this path serves it: a unary binding's own method on an
    /// origin-form target, a body (if any) of a declared length within the limit, no transfer
    /// coding, no `Expect`. Nil: the router answers (405s, 413s, 501s and `100-continue`).
    func route(_ head: Head) -> Route? {
        guard head.method == .get || head.method == .post, head.target.utf8.first == UInt8(ascii: "/") else { return nil }
        let headers = head.headers
        guard headers[.transferEncoding] == nil, headers[.expect] == nil else { return nil }
        let path = head.target.utf8.firstIndex(of: UInt8(ascii: "?")).map { String(head.target[..<$0]) } ?? head.target
        guard let (binding, captures) = RESTContract.binding(for: head.method, path: path), binding.unary != nil else { return nil }
        let length = headers[.contentLength]
        switch binding.body {
        case .none:
            guard length == nil || length == "0" else { return nil }
        case .all, .field:
            guard length.map({ Int($0).map { (0...gateway.config.maxBodyBytes).contains($0) } ?? false }) ?? true else { return nil }
        }
        return Route(binding: binding, captures: captures)
    }

    /// Answers a routed request through `answer` (errors included, in the grpc-gateway JSON
    /// shape), with CORS, `Date` and `Server` headers as the router adds them; counted in the
    /// metrics. `answer` runs once, on `loop` when the RPC client answers there, elsewhere
    /// otherwise (the caller hops back).
    func respond(
        to route: Route, head: Head, body: ByteBuffer, remoteAddress: SocketAddress?, date: String, loop: any EventLoop,
        answer: @escaping @Sendable (Answer) -> Void
    ) {
        let start = ContinuousClock.now
        // The common case: nothing to wait for before the call.
        if rateLimiter == nil, admission?.tryAdmit() ?? true {
            return call(route, head: head, body: body, date: date, since: start, answer: answer)
        }
        Task.immediate(executorPreference: EventLoopTaskExecutor(eventLoop: loop)) { [self] in
            do {
                if let rateLimiter {
                    try rateLimiter.enforce(await gateway.clientKey(authorization: head.headers[.authorization], remoteAddress: remoteAddress))
                }
                if let admission { try await admission.admitRequest() }
            } catch {
                return answer(self.answer(.failure(error), route: route, head: head, date: date, since: start))
            }
            call(route, head: head, body: body, date: date, since: start, answer: answer)
        }
    }

    /// The binding's RPC, holding an admission slot (when limited) until it has answered; one
    /// closure from the RPC's answer to the connection's.
    private func call(
        _ route: Route, head: Head, body: ByteBuffer, date: String, since start: ContinuousClock.Instant,
        answer: @escaping @Sendable (Answer) -> Void
    ) {
        let admission = self.admission
        let finish: @Sendable (Result<RESTAnswer, any Error>) -> Void = { [self] result in
            admission?.release()
            answer(self.answer(result, route: route, head: head, date: date, since: start))
        }
        do {
            let call = try RESTUnaryCall(
                binding: route.binding, captures: route.captures, headers: head.headers, target: head.target, body: body, gateway: gateway)
            try route.binding.unary!(call, finish)
        } catch {
            finish(.failure(error))
        }
    }

    private func answer(_ result: Result<RESTAnswer, any Error>, route: Route, head: Head, date: String, since start: ContinuousClock.Instant)
        -> Answer
    {
        var answer: Answer
        switch result {
        case .success(let made):
            answer = Answer(status: made.status, contentType: "application/json", body: made.body.buffer)
            if let location = made.location { answer.headers.add(name: "Location", value: location) }
        case .failure(let error):
            var body = ErrorBody(error, request: nil)
            if body.code == .internal || body.code == .unknown {
                logger.error("request failed", metadata: ["path": "\(head.target)", "error": "\(error)"])
            }
            if error is RPCError, body.code == .unauthenticated, head.headers[.authorization] != nil {
                body.headers[.wwwAuthenticate] = "Bearer error=\"invalid_token\""
            }
            answer = Answer(status: body.status, contentType: "application/json", body: ByteBuffer(string: body.json))
            for field in body.headers { answer.headers.add(name: field.name.rawName, value: field.value) }
        }
        if let origin = head.headers[.origin] {
            var cors = HTTPFields()
            CORSMiddleware<GatewayRequestContext>.addOrigin(origin, allowedOrigins: gateway.config.allowedOrigins, to: &cors)
            for field in cors { answer.headers.add(name: field.name.rawName, value: field.value) }
        }
        answer.headers.add(name: "Date", value: date)
        answer.headers.add(name: "Server", value: serverName)
        answer.headers.add(name: "Content-Length", value: String(answer.body.readableBytes))
        metrics?.record(
            method: HTTPMetricsMiddleware<GatewayRequestContext>.methodLabel(head.method), route: route.binding.template.text,
            code: answer.status.code, since: start)
        return answer
    }
}
