import Hummingbird

/// Turns every error thrown below it, the router's own included, into the
/// `{code, message, details}` JSON body with grpc-gateway's status map.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let body = ErrorBody(error, request: request)
            if body.code == .internal || body.code == .unknown {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            var response = body.response
            // A HEAD response has headers only.
            if request.method == .head { response.body = .init() }
            return response
        }
    }
}
