import HTTPTypes
import RPC

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
