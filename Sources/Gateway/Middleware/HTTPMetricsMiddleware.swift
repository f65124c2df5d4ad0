import CoreMetrics
import Hummingbird
import Synchronization

/// `http_server_requests_total{method,route,code}` and `http_server_request_duration_seconds`
/// for every request. `route` is the matched route's template (`/v1/orders/{id}`), never the
/// raw path; a request no route matched counts as `unmatched`, and a method outside HTTP's
/// registered few as `OTHER`, so the label sets stay bounded whatever clients send.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Shared with `RESTFastPath`, so both paths count into the same instruments.
    var cache = HTTPInstrumentCache()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let method = Self.methodLabel(request.method)
        do {
            let response = try await next(request, context)
            cache.record(method: method, route: Self.route(request, context), code: response.status.code, since: start)
            return response
        } catch {
            let code = (error as? any HTTPResponseError)?.status.code ?? 500
            cache.record(method: method, route: Self.route(request, context), code: code, since: start)
            throw error
        }
    }

    /// The route template: Hummingbird's matched route or the contract binding's template
    /// (which `ContractRoutes` sets as the endpoint path); else the contract's template for the
    /// path, for a request refused before it was served (a 405).
    static func route(_ request: Request, _ context: Context) -> String? {
        context.endpointPath ?? RESTContract.binding(for: request.method, path: request.uri.path)?.binding.template.text
    }

    static func methodLabel(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .delete, .options, .patch: method.rawValue
        default: "OTHER"
        }
    }
}

/// The counter and histogram of each (method, route, code) seen, made once.
final class HTTPInstrumentCache: Sendable {
    struct Instruments: Sendable {
        let requests: Counter
        let duration: CoreMetrics.Timer
    }

    private struct Key: Hashable {
        let method: String
        let route: String
        let code: Int
    }

    private let made = Mutex<[Key: Instruments]>([:])

    /// Counts one request and its duration; a nil route is `unmatched`.
    func record(method: String, route: String?, code: Int, since start: ContinuousClock.Instant) {
        let instruments = instruments(method: method, route: route ?? "unmatched", code: code)
        instruments.requests.increment()
        let (seconds, attoseconds) = start.duration(to: .now).components
        instruments.duration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func instruments(method: String, route: String, code: Int) -> Instruments {
        made.withLock { made in
            let key = Key(method: method, route: route, code: code)
            if let found = made[key] { return found }
            let labels = [("method", method), ("route", route), ("code", String(code))]
            let instruments = Instruments(
                requests: Counter(label: "http_server_requests_total", dimensions: labels),
                duration: CoreMetrics.Timer(label: "http_server_request_duration_seconds", dimensions: [("method", method), ("route", route)])
            )
            made[key] = instruments
            return instruments
        }
    }
}
