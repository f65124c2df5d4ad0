import SQLiteNIO
import StorageSupport
import Logging

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

/// A `GroupCommitWriter`'s batch on SQLite: `BEGIN IMMEDIATE`, the executor's SQL, `COMMIT` on
/// the one writer connection (with `synchronous=FULL`, one fsync for the whole batch). One
/// connection runs one transaction at a time: give the writer `concurrentBatches` 1.
public struct SQLiteBatchTransaction<Executor: WriteBatchExecutor>: BatchTransaction {
    /// The writer connection, which nobody else may write to.
    public let connection: SQLiteConnection
    /// The SQL of the batch.
    public let executor: Executor

    /// Runs `executor`'s batches on `connection`.
    public init(connection: SQLiteConnection, executor: Executor) {
        self.connection = connection
        self.executor = executor
    }

    /// See `BatchTransaction`. Runs the executor's `afterCommit` before returning.
    public func commit(_ requests: [Executor.Request]) async throws -> [Delivery] {
        try await connection.execute("BEGIN IMMEDIATE")
        let outcome: BatchOutcome
        do {
            outcome = try await executor.execute(requests, on: connection)
            try await connection.execute("COMMIT")
        } catch {
            // After a failed COMMIT SQLite may already have rolled back; a second error is moot.
            try? await connection.execute("ROLLBACK")
            throw error
        }
        outcome.afterCommit()
        return outcome.deliveries
    }
}

/// The group-commit writer of one SQLite writer connection.
public typealias SQLiteBatchWriter<Executor: WriteBatchExecutor> = GroupCommitWriter<SQLiteBatchTransaction<Executor>>

extension GroupCommitWriter {
    /// Writes through `connection`, which nobody else may write to, one transaction at a time.
    public convenience init<Executor>(
        connection: SQLiteConnection, executor: Executor, maxBatchSize: Int = Config.defaults.maxBatchSize, logger: Logger
    ) where Transaction == SQLiteBatchTransaction<Executor> {
        self.init(
            transaction: SQLiteBatchTransaction(connection: connection, executor: executor),
            config: Config(maxBatchSize: maxBatchSize, concurrentBatches: 1), logger: logger
        )
    }
}
