import HTTPTypes
import RPC

/// A failure the gateway answers itself (no route, wrong method, body too large, bad media
/// type), in the same `{code, message, details}` shape as a failed RPC.
struct GatewayError: Error, Sendable {
    /// The HTTP status sent; usually `code.httpStatus`, but 405, 413 and 415 say more.
    var status: HTTPResponse.Status
    /// The gRPC code in the body.
    var code: StatusCode
    var message: String
    /// Extra response headers, e.g. `Allow` on a 405.
    var headers: HTTPFields

    init(status: HTTPResponse.Status, code: StatusCode, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method]) -> GatewayError {
        let allow = RouteTable.allowHeader(allowed)
        return GatewayError(
            status: .methodNotAllowed, code: .unimplemented,
            message: "method \(method.rawValue) is not allowed on \(path); allowed: \(allow)",
            headers: [.allow: allow]
        )
    }

    static func routeNotFound(_ method: HTTPRequest.Method, path: String) -> GatewayError {
        GatewayError(status: .notFound, code: .notFound, message: "no route for \(method.rawValue) \(path)")
    }

    static func bodyTooLarge(limit: Int) -> GatewayError {
        GatewayError(status: .contentTooLarge, code: .resourceExhausted, message: "request body is larger than \(limit) bytes")
    }

    static func unsupportedMediaType(_ contentType: String?) -> GatewayError {
        GatewayError(
            status: .unsupportedMediaType, code: .invalidArgument,
            message: "content type \(contentType.map { "\"\($0)\"" } ?? "(none)") is not supported; send Content-Type: application/json"
        )
    }

    static func unsupportedTransferCoding(_ value: String) -> GatewayError {
        GatewayError(
            status: .notImplemented, code: .unimplemented,
            message: "Transfer-Encoding \"\(value)\" is not supported; send the body as is or chunked"
        )
    }

    static func invalidArgument(_ message: String) -> GatewayError {
        GatewayError(status: .badRequest, code: .invalidArgument, message: message)
    }
}

extension StatusCode {
    /// grpc-gateway's gRPC → HTTP status map (`runtime/errors.go` `HTTPStatusFromCode`).
    /// FAILED_PRECONDITION is 400, not 412, on purpose.
    var httpStatus: HTTPResponse.Status {
        switch self {
        case .ok: .ok
        case .cancelled: HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")
        case .unknown: .internalServerError
        case .invalidArgument: .badRequest
        case .deadlineExceeded: .gatewayTimeout
        case .notFound: .notFound
        case .alreadyExists: .conflict
        case .permissionDenied: .forbidden
        case .resourceExhausted: .tooManyRequests
        case .failedPrecondition: .badRequest
        case .aborted: .conflict
        case .outOfRange: .badRequest
        case .unimplemented: .notImplemented
        case .internal: .internalServerError
        case .unavailable: .serviceUnavailable
        case .dataLoss: .internalServerError
        case .unauthenticated: .unauthorized
        }
    }
}
