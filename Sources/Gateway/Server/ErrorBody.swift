import HTTPTypes
import Hummingbird
import NIOHTTP1
import RPC

/// The error body every failure gets: `{"code": <grpc code>, "message": "…", "details": []}`
/// (google.rpc.Status as grpc-gateway and Envoy write it), with grpc-gateway's status map.
struct ErrorBody: Sendable {
    var status: HTTPResponse.Status
    var code: StatusCode
    var message: String
    var headers: HTTPFields = [:]

    /// Classifies anything a handler may throw. Unknown errors become INTERNAL without their text.
    init(_ error: any Error, request: Request?) {
        switch error {
        case let error as GatewayError:
            self.init(status: error.status, code: error.code, message: error.message, headers: error.headers)
        case let error as RPCError:
            self.init(status: error.code.httpStatus, code: error.code, message: error.message)
            if error.code == .unauthenticated {
                // RFC 6750 §3: no error code when no credentials came, invalid_token when they failed.
                headers[.wwwAuthenticate] = request?.hasCredentials == true ? "Bearer error=\"invalid_token\"" : "Bearer"
            }
        case let error as JSONParseError:
            self.init(status: .badRequest, code: .invalidArgument, message: error.description)
        case let error as ProtoJSONError:
            self.init(status: .badRequest, code: .invalidArgument, message: error.message)
        case let error as HTTPParserError:
            // The client sent a malformed body (a bad chunk size, say): its fault, not ours.
            self.init(status: .badRequest, code: .invalidArgument, message: "malformed request: \(error)")
        case is CancellationError:
            self.init(status: StatusCode.cancelled.httpStatus, code: .cancelled, message: "request cancelled")
        case let error as any HTTPResponseError:
            self.init(httpError: error, request: request)
        default:
            self.init(status: .internalServerError, code: .internal, message: "internal error")
        }
    }

    init(status: HTTPResponse.Status, code: StatusCode, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    /// Hummingbird's own errors (no route, body too large, bad request) in our shape.
    private init(httpError error: any HTTPResponseError, request: Request?) {
        switch error.status {
        case .notFound:
            let error = GatewayError.routeNotFound(request?.method ?? .get, path: request?.uri.path ?? "")
            self.init(status: error.status, code: error.code, message: error.message)
        case .contentTooLarge:
            self.init(status: .contentTooLarge, code: .resourceExhausted, message: "request body is too large")
        case .badRequest:
            self.init(status: .badRequest, code: .invalidArgument, message: "bad request")
        default:
            self.init(status: error.status, code: .unknown, message: error.status.reasonPhrase)
        }
    }

    var json: String {
        var json = JSONWriter()
        json.object { json in
            json.field("code") { $0.integer(code.rawValue) }
            json.field("message") { $0.string(message) }
            json.field("details") { $0.array { _ in } }
        }
        return json.text
    }

    var response: Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}

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
