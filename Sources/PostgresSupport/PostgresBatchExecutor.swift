import Logging
import PostgresNIO

/// The SQL side of a `PostgresBatchWriter`: runs a batch of write requests inside one open
/// transaction. The same contract as SQLite's `WriteBatchExecutor`.
public protocol PostgresBatchExecutor: Sendable {
    associatedtype Request: Sendable
    associatedtype Response: Sendable

    /// Runs `requests` in the open transaction on `connection` and returns one result per
    /// request, in order.
    ///
    /// A request refused on its own (a domain rule) must leave no writes behind and comes back
    /// as `.failure`; PostgreSQL aborts a transaction at its first failing statement, so such a
    /// refusal is found without one (e.g. `ON CONFLICT DO NOTHING`). Throwing aborts the whole
    /// transaction, after which the writer runs each request again on its own.
    func execute(_ requests: [Request], on connection: PostgresConnection, logger: Logger) async throws -> [Result<Response, any Error>]

    /// Called once the batch's transaction has committed, before any waiter resumes.
    func didCommit(_ responses: [Response])
}

extension PostgresBatchExecutor {
    /// Nothing to publish by default.
    public func didCommit(_ responses: [Response]) {}
}
