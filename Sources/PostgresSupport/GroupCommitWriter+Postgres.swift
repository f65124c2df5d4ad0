import Logging
import StorageSupport

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
