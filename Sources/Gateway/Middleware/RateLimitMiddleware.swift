import HTTPTypes
import Hummingbird

/// Applies the per-client rate limit before any route runs: 429 with `Retry-After` and the
/// usual error body beyond it. A client is its token's subject when the gateway can vouch for
/// the token (`subject` returns one), else its IP address: an unverified subject would let
/// one client spread itself over any number of buckets.
///
/// Health probes and CORS preflights are not limited: a throttled probe would restart a pod.
struct RateLimitMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let limiter: RateLimiter
    /// The verified subject of a bearer token, or nil.
    let subject: @Sendable (String) -> String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .options || rateLimitExemptPaths.contains(request.uri.path) {
            return try await next(request, context)
        }
        switch limiter.admit(clientKey(request, context: context)) {
        case .admitted:
            return try await next(request, context)
        case .limited(let seconds):
            throw GatewayError(
                status: .tooManyRequests, code: .resourceExhausted,
                message: "rate limit exceeded: at most \(Self.describe(limiter.limit)); retry in \(seconds) s",
                headers: [.retryAfter: String(seconds)]
            )
        }
    }

    private func clientKey(_ request: Request, context: Context) -> String {
        if let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer ",
           let subject = subject(String(header.dropFirst(7).drop { $0 == " " })) {
            return "sub:" + subject
        }
        return "ip:" + (context.remoteAddress?.ipAddress ?? "unknown")
    }

    private static func describe(_ limit: OrdersGateway.RateLimit) -> String {
        let rate = limit.requestsPerSecond.rounded() == limit.requestsPerSecond
            ? String(Int(limit.requestsPerSecond)) : String(limit.requestsPerSecond)
        return "\(rate) requests/s (burst \(limit.burst)) per client"
    }
}

/// Paths never rate limited: the probes.
private let rateLimitExemptPaths: Set<String> = ["/healthz", "/livez", "/readyz"]
