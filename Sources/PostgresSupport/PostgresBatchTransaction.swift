import Logging
import PostgresNIO
import StorageSupport

/// A `GroupCommitWriter`'s batch on PostgreSQL: the executor's SQL in a transaction on a
/// pooled connection. PostgreSQL commits several transactions in parallel (sharing WAL
/// flushes), so the writer may run more than one batch at once (`concurrentBatches`).
///
/// Its requests are all of the executor's one kind (`Call`), answered in order.
public struct PostgresBatchTransaction<Executor: PostgresBatchExecutor>: BatchTransaction {
    /// The pool.
    public let storage: PostgresStorage
    /// The SQL of the batch.
    public let executor: Executor
    /// Passed to every query.
    public let logger: Logger

    /// Runs `executor`'s batches on pooled connections of `storage`.
    public init(storage: PostgresStorage, executor: Executor, logger: Logger) {
        self.storage = storage
        self.executor = executor
        self.logger = logger
    }

    /// See `BatchTransaction`. Calls the executor's `didCommit` before returning.
    public func commit(_ requests: [Call<Executor.Request, Executor.Response>]) async throws -> [Delivery] {
        let inputs = requests.map(\.input)
        let results = try await storage.transaction { connection in
            try await executor.execute(inputs, on: connection, logger: logger)
        }
        precondition(results.count == requests.count, "a batch executor must return one result per request")
        executor.didCommit(results.compactMap { try? $0.get() })
        return zip(requests, results).map { request, result in request.reply.answer(result) }
    }
}
