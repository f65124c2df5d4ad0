import RPC
import SQLiteNIO
import StorageSupport

/// The one place where Payments' failures become gRPC statuses.
extension RPCError {
    public init(_ error: PaymentError) {
        switch error {
        case .invalidArgument: self = .invalidArgument(error.description)
        case .notFound: self = .notFound(error.description)
        case .failedPrecondition: self = .failedPrecondition(error.description)
        case .mismatchedRepeat: self = .alreadyExists(error.description)
        }
    }

    /// The status for any failure of a Payments operation; storage details never reach the peer.
    public static func payments(_ error: any Error) -> RPCError {
        switch error {
        case let error as RPCError: error
        case let error as PaymentError: RPCError(error)
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
