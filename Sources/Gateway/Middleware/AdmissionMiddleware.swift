import HTTPTypes
import Hummingbird
import NIOCore
import RPC

/// Admission control for the REST API (`AdmissionLimiter`): a bounded number of requests run
/// at once and a bounded number wait; beyond, 503 with `Retry-After` and the usual error body,
/// at once, so an overloaded gateway keeps answering the requests it admitted in bounded time.
///
/// Event streams (SSE, long-lived, capped by `maxEventStreams`), the probes and CORS
/// preflights are not counted.
struct AdmissionMiddleware<Context: RequestContext>: RouterMiddleware {
    let limiter: AdmissionLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if request.method == .options || admissionExemptPaths.contains(path) || path.hasSuffix("/events") {
            return try await next(request, context)
        }
        try await limiter.admitRequest()
        defer { limiter.release() }
        return try await next(request, context)
    }
}

extension AdmissionLimiter {
    /// `admit()` for a REST request: a refusal is the gateway's 503 with `Retry-After`.
    func admitRequest() async throws {
        do {
            try await admit()
        } catch let refusal as AdmissionLimiter.Refusal {
            throw GatewayError(
                status: .serviceUnavailable, code: .resourceExhausted, message: refusal.description,
                headers: [.retryAfter: "1"])
        }
    }
}

/// Paths never refused for load: the probes.
private let admissionExemptPaths: Set<String> = ["/healthz", "/livez", "/readyz"]

/// Applies the per-client rate limit before any route runs: 429 with `Retry-After` and the
/// usual error body beyond it. A client is `OrdersGateway.clientKey(for:remoteAddress:)`.
///
/// Health probes and CORS preflights are not limited: a throttled probe would restart a pod.
struct RateLimitMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let limiter: RateLimiter
    let gateway: OrdersGateway

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .options || rateLimitExemptPaths.contains(request.uri.path) {
            return try await next(request, context)
        }
        try limiter.enforce(await gateway.clientKey(for: request, remoteAddress: context.remoteAddress))
        return try await next(request, context)
    }
}

extension RateLimiter {
    /// Takes a token for `client`, or throws the gateway's 429 with `Retry-After`.
    func enforce(_ client: String) throws {
        guard case .limited(let seconds) = admit(client) else { return }
        throw GatewayError(
            status: .tooManyRequests, code: .resourceExhausted,
            message: "rate limit exceeded: at most \(Self.describe(limit)); retry in \(seconds) s",
            headers: [.retryAfter: String(seconds)]
        )
    }

    private static func describe(_ limit: OrdersGateway.RateLimit) -> String {
        let rate =
            limit.requestsPerSecond.rounded() == limit.requestsPerSecond
            ? String(Int(limit.requestsPerSecond)) : String(limit.requestsPerSecond)
        return "\(rate) requests/s (burst \(limit.burst)) per client"
    }
}

/// Paths never rate limited: the probes.
private let rateLimitExemptPaths: Set<String> = ["/healthz", "/livez", "/readyz"]

extension OrdersGateway {
    /// Who a request counts against for the rate limit and the event-stream caps: the subject
    /// of its bearer token (the header, or the event stream's `access_token`) when
    /// `verifiedSubject` vouches for it, else its IP address. An unverified subject is never
    /// used: a client could spread itself over any number of them.
    func clientKey(for request: Request, remoteAddress: SocketAddress?) async -> String {
        await clientKey(authorization: request.authorization(acceptingQueryToken: request.isEventStream), remoteAddress: remoteAddress)
    }

    /// The same from the credentials the request carried.
    func clientKey(authorization: String?, remoteAddress: SocketAddress?) async -> String {
        if let authorization, authorization.count > 7, authorization.prefix(7).lowercased() == "bearer ",
            let subject = await verifiedSubject(String(authorization.dropFirst(7).drop { $0 == " " }))
        {
            return "sub:" + subject
        }
        return "ip:" + (remoteAddress?.ipAddress ?? "unknown")
    }
}
