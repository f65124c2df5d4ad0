import RequestLogging
import RPC

/// The one place where Payments' failures become gRPC statuses.
extension RPCError {
    /// The status for a refused payment operation.
    public init(_ error: PaymentError) {
        switch error {
        case .invalidArgument: self = .invalidArgument(error.description)
        case .notFound: self = .notFound(error.description)
        case .failedPrecondition: self = .failedPrecondition(error.description)
        case .mismatchedRepeat: self = .alreadyExists(error.description)
        }
    }

    /// The status for any failure of a Payments operation: the domain's own refusals here,
    /// storage failures and the rest as every service maps them (`serviceFailure(_:)`).
    public static func payments(_ error: any Error) -> RPCError {
        if let error = error as? PaymentError { return RPCError(error) }
        return .serviceFailure(error)
    }
}
