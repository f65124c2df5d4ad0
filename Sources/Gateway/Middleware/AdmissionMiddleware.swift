import HTTPTypes
import Hummingbird
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
        do {
            try await limiter.admit()
        } catch let refusal as AdmissionLimiter.Refusal {
            throw GatewayError(
                status: .serviceUnavailable, code: .resourceExhausted, message: refusal.description,
                headers: [.retryAfter: "1"])
        }
        defer { limiter.release() }
        return try await next(request, context)
    }
}

/// Paths never refused for load: the probes.
private let admissionExemptPaths: Set<String> = ["/healthz", "/livez", "/readyz"]
