import RequestLogging
import RPC

/// The one place where Orders' failures become gRPC statuses.
extension RPCError {
    /// The status for a refused order operation.
    public init(_ error: OrderError) {
        switch error {
        case .invalidArgument: self = .invalidArgument(error.description)
        case .notFound: self = .notFound(error.description)
        case .requestIDReused: self = .alreadyExists(error.description)
        case .failedPrecondition: self = .failedPrecondition(error.description)
        case .permissionDenied: self = .init(code: .permissionDenied, message: error.description)
        case .outOfRange: self = .init(code: .outOfRange, message: error.description)
        case .resourceExhausted: self = .resourceExhausted(error.description)
        }
    }

    /// The status for any failure of an Orders operation: the domain's own refusals here,
    /// storage failures and the rest as every service maps them (`serviceFailure(_:)`).
    public static func orders(_ error: any Error) -> RPCError {
        if let error = error as? OrderError { return RPCError(error) }
        return .serviceFailure(error)
    }
}
