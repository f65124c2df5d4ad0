import SQLiteNIO
import StorageSupport

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
