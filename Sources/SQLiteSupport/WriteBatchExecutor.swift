import SQLiteNIO

/// The SQL side of an `SQLiteBatchWriter`: runs a batch of write requests inside one open
/// transaction.
public protocol WriteBatchExecutor: Sendable {
    associatedtype Request: Sendable
    associatedtype Response: Sendable

    /// Runs `requests` in the open transaction on `connection` and returns one result per
    /// request, in order.
    ///
    /// A request refused on its own (a domain rule, e.g. a reused idempotency key) must leave no
    /// writes behind and comes back as `.failure`; the others still commit. Throwing aborts the
    /// whole transaction, after which the writer runs each request again on its own, so one bad
    /// request cannot fail the rest of its batch.
    func execute(_ requests: [Request], on connection: SQLiteConnection) async throws -> [Result<Response, any Error>]

    /// Called once the batch's transaction has committed, in commit order, before any waiter
    /// resumes: the place to publish change notifications.
    func didCommit(_ responses: [Response])
}

extension WriteBatchExecutor {
    public func didCommit(_ responses: [Response]) {}
}
