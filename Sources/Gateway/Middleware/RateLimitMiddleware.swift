import HTTPTypes
import Hummingbird

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
        switch limiter.admit(await gateway.clientKey(for: request, remoteAddress: context.remoteAddress)) {
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

    private static func describe(_ limit: OrdersGateway.RateLimit) -> String {
        let rate =
            limit.requestsPerSecond.rounded() == limit.requestsPerSecond
            ? String(Int(limit.requestsPerSecond)) : String(limit.requestsPerSecond)
        return "\(rate) requests/s (burst \(limit.burst)) per client"
    }
}

/// Paths never rate limited: the probes.
private let rateLimitExemptPaths: Set<String> = ["/healthz", "/livez", "/readyz"]
