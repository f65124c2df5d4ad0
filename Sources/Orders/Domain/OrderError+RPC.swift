import RPC
import SQLiteNIO
import StorageSupport

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

    /// The status for any failure of an Orders operation. Storage details never reach the
    /// peer: a busy or closed database is UNAVAILABLE (try again), anything else INTERNAL.
    public static func orders(_ error: any Error) -> RPCError {
        switch error {
        case let error as RPCError: error
        case let error as OrderError: RPCError(error)
        case is CancellationError: .cancelled("the call was cancelled")
        case StorageError.closed: .unavailable("the service is shutting down")
        case let error as SQLiteError where error.reason == .busy || error.reason == .locked:
            .unavailable("the database is busy; try again")
        default: .internal("internal error")
        }
    }
}
