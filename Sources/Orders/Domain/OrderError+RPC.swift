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
        }
    }

    /// The status for any failure of an Orders operation. Storage details never reach the
    /// peer: a busy, closed or unreachable database is UNAVAILABLE (try again), a full disk
    /// RESOURCE_EXHAUSTED, anything else INTERNAL.
    public static func orders(_ error: any Error) -> RPCError {
        switch error {
        case let error as RPCError: error
        case let error as OrderError: RPCError(error)
        case is CancellationError: .cancelled("the call was cancelled")
        case StorageError.closed: .unavailable("the service is shutting down")
        case StorageError.unavailable: .unavailable("the database is unavailable; try again")
        case let error as SQLiteError where error.reason == .busy || error.reason == .locked:
            .unavailable("the database is busy; try again")
        case let error as SQLiteError where error.reason == .full:
            .resourceExhausted("the database disk is full; try again once space is freed")
        default: .internal("internal error")
        }
    }
}
