import SQLiteNIO
import StorageSupport

/// The SQL side of an `SQLiteBatchWriter`: runs a batch of write requests inside one open
/// transaction.
public protocol WriteBatchExecutor: Sendable {
    associatedtype Request: BatchRequest

    /// Runs `requests` in the open transaction on `connection` and returns an answer for every
    /// request (`Reply.answer`), handed over once the transaction commits, and what to do
    /// right after the commit (publish change notifications), before any caller resumes.
    ///
    /// A request refused on its own (a domain rule, e.g. a reused idempotency key) must leave no
    /// writes behind and is answered with its failure; the others still commit. Throwing aborts
    /// the whole transaction, after which the writer runs each request again on its own, so one
    /// bad request cannot fail the rest of its batch.
    func execute(_ requests: [Request], on connection: SQLiteConnection) async throws -> BatchOutcome
}
