import HTTPTypes
import Hummingbird

/// Answers methods a known path does not serve with 405 and `Allow` (the error shape), and
/// plain `OPTIONS` (not a CORS preflight, which `CORSMiddleware` answers) with 204 and `Allow`.
/// Unknown paths go on to the router, whose 404 becomes NOT_FOUND. A transfer coding other
/// than chunked (`gzip, chunked`) is 501: the body would otherwise be read still encoded.
struct MethodMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let codings = request.headers[.transferEncoding],
           codings.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() != "chunked" }) {
            throw GatewayError.unsupportedTransferCoding(codings)
        }
        guard let allowed = RouteTable.allowedMethods(forPath: request.uri.path) else {
            return try await next(request, context)
        }
        if request.method == .options {
            return Response(status: .noContent, headers: [.allow: RouteTable.allowHeader(allowed)])
        }
        guard allowed.contains(request.method) else {
            throw GatewayError.methodNotAllowed(request.method, path: request.uri.path, allowed: allowed)
        }
        return try await next(request, context)
    }
}
