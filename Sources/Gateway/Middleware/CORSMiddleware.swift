import HTTPTypes
import Hummingbird

/// CORS for the gateway: answers preflight requests (`OPTIONS` with `Origin` and
/// `Access-Control-Request-Method`) for any path and marks every response for the allowed
/// origins. Allows the headers browsers need for the API:
/// `Authorization` (the customer token), `Content-Type`, `Idempotency-Key`,
/// `Json-Ignore-Unknown-Fields`, `X-Request-Id`; and lets scripts read `WWW-Authenticate`.
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    static var allowedMethods: String { "GET, POST, PUT, OPTIONS" }
    static var allowedHeaders: String { "Authorization, Content-Type, Idempotency-Key, Json-Ignore-Unknown-Fields, X-Request-Id" }
    static var exposedHeaders: String { "WWW-Authenticate, Location" }

    /// `["*"]` for any origin, or the exact origins (`https://shop.example`).
    let allowedOrigins: [String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let origin = request.headers[.origin]
        if request.method == .options, let origin, request.headers[.accessControlRequestMethod] != nil {
            var headers: HTTPFields = [
                .accessControlAllowMethods: Self.allowedMethods,
                .accessControlAllowHeaders: Self.allowedHeaders,
                .accessControlMaxAge: "600",
            ]
            Self.addOrigin(origin, allowedOrigins: allowedOrigins, to: &headers)
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if let origin { Self.addOrigin(origin, allowedOrigins: allowedOrigins, to: &response.headers) }
        return response
    }

    /// Marks a response to a request from `origin` (also used by `RESTFastPath`).
    static func addOrigin(_ origin: String, allowedOrigins: [String], to headers: inout HTTPFields) {
        headers[.accessControlExposeHeaders] = Self.exposedHeaders
        if allowedOrigins.contains("*") {
            headers[.accessControlAllowOrigin] = "*"
        } else if allowedOrigins.contains(origin) {
            headers[.accessControlAllowOrigin] = origin
            headers[values: .vary].append("Origin")
        } else {
            headers[values: .vary].append("Origin")
        }
    }
}
