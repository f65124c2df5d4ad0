import HTTPTypes
import Hummingbird

/// Routes by method and path: a contract route (`RESTContract`, its path resolved once) goes
/// to `ContractRoutes`, any other on to the router. Answers methods a known path does not serve
/// with 405 and `Allow` (the error shape), and plain `OPTIONS` (not a CORS preflight, which
/// `CORSMiddleware` answers) with 204 and `Allow`. Unknown paths go on to the router, whose 404
/// becomes NOT_FOUND. A transfer coding other than chunked (`gzip, chunked`) is 501: the body
/// would otherwise be read still encoded.
struct MethodMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let contract: ContractRoutes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let codings = request.headers[.transferEncoding],
            codings.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() != "chunked" })
        {
            throw GatewayError.unsupportedTransferCoding(codings)
        }
        if let match = RESTContract.match(method: request.method, path: request.uri.path) {
            if let binding = match.binding, request.method != .options {
                return try await contract.serve(binding, captures: match.captures, request: request, context: context)
            }
            return try answer(request, allowed: match.allowed)
        }
        guard let allowed = RouteTable.routeMethods(forPath: request.uri.path) else {
            return try await next(request, context)
        }
        guard allowed.contains(request.method) && request.method != .options else { return try answer(request, allowed: allowed) }
        return try await next(request, context)
    }

    /// `OPTIONS`, or a method the path does not serve.
    private func answer(_ request: Request, allowed: [HTTPRequest.Method]) throws -> Response {
        if request.method == .options {
            return Response(status: .noContent, headers: [.allow: RouteTable.allowHeader(allowed)])
        }
        throw GatewayError.methodNotAllowed(request.method, path: request.uri.path, allowed: allowed)
    }
}
