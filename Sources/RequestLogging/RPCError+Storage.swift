import RPC
import StorageSupport

/// The mapping every service shares, at the edge, for failures that are no service's own:
/// storage failures, cancellations, statuses passed on.
extension RPCError {
    /// The status for a storage failure. Storage details never reach the peer: the message
    /// says what the caller can do, the log keeps the detail.
    public init(_ error: StorageError) {
        switch error {
        case .closed: self = .unavailable("the service is shutting down")
        case .busy: self = .unavailable("the database is busy; try again")
        case .unavailable: self = .unavailable("the database is unreachable; try again later")
        case .diskFull: self = .resourceExhausted("the database's disk is full; writes fail until space is freed")
        case .corrupt: self = .init(code: .dataLoss, message: "the database is damaged")
        case .malformedRow, .schemaTooNew, .constraint: self = .internal("internal error")
        }
    }

    /// The status for any failure a service did not map itself: an `RPCError` as it is, a
    /// cancellation as CANCELLED, a `StorageError` as `init(_:)` says, anything else
    /// INTERNAL without its text.
    public static func serviceFailure(_ error: any Error) -> RPCError {
        switch error {
        case let error as RPCError: error
        case is CancellationError: .cancelled("the call was cancelled")
        case let error as StorageError: RPCError(error)
        default: .internal("internal error")
        }
    }
}
