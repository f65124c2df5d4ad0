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

/// The group-commit writer of a PostgreSQL pool.
public typealias PostgresBatchWriter<Executor: PostgresBatchExecutor> = GroupCommitWriter<PostgresBatchTransaction<Executor>>

extension GroupCommitWriter {
    /// Writes through pooled connections of `storage`, up to `config.concurrentBatches`
    /// transactions at once.
    public convenience init<Executor>(
        storage: PostgresStorage, executor: Executor, config: Config, logger: Logger
    ) where Transaction == PostgresBatchTransaction<Executor> {
        self.init(transaction: PostgresBatchTransaction(storage: storage, executor: executor, logger: logger), config: config, logger: logger)
    }
}

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

extension PostgresConnection {
    /// BEGIN, `body`, COMMIT; ROLLBACK and rethrow `body`'s own error when it throws.
    /// (`withTransaction` wraps every error in `PostgresTransactionError`; the stores need
    /// their domain errors, e.g. a reused idempotency key, to come back as they were thrown.)
    func transaction<T: Sendable>(logger: Logger, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await query("BEGIN", logger: logger)
        let value: T
        do {
            value = try await body(self)
        } catch {
            // A broken connection cannot roll back, and then has nothing to roll back either.
            _ = try? await query("ROLLBACK", logger: logger)
            throw error
        }
        try await query("COMMIT", logger: logger)
        return value
    }

    /// Runs one statement and returns its rows.
    public func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}
