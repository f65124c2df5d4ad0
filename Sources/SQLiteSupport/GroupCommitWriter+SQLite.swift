import Logging
import SQLiteNIO
import StorageSupport

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
