import Logging
import PostgresNIO
import PostgresSupport
import StorageSupport
import StoreTestSupport
import Synchronization
import Testing

/// Inserts each request as a row of `t`; a request already in the table makes the statement
/// (and so the transaction) fail. Records the size of every batch it runs.
private struct InsertExecutor: PostgresBatchExecutor {
    let batches = BatchLog()

    func execute(_ requests: [Int64], on connection: PostgresConnection, logger: Logger) async throws -> [Result<Int64, any Error>] {
        batches.record(requests.count)
        try await connection.query("INSERT INTO t (v) SELECT * FROM UNNEST(\(requests))", logger: logger)
        return requests.map { .success($0) }
    }
}

private final class BatchLog: Sendable {
    private let sizes = Mutex<[Int]>([])
    func record(_ size: Int) { sizes.withLock { $0.append(size) } }
    var all: [Int] { sizes.withLock { $0 } }
}

@Suite("PostgreSQL group commit", .enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipReason)))
struct PostgresBatchWriterTests {
    private static let migrations = [SchemaMigration(version: 1, name: "t", statements: ["CREATE TABLE t (v BIGINT PRIMARY KEY)"])]

    private func withWriter(
        _ config: PostgresBatchWriter<InsertExecutor>.Config,
        _ body: (PostgresBatchWriter<InsertExecutor>, InsertExecutor, PostgresStorage) async throws -> Void
    ) async throws {
        try await PostgresTestDatabase.withFreshSchema { url in
            let storage = try await PostgresStorage.open(
                url: url, migrations: Self.migrations, config: .init(maxConnections: 4),
                logger: PostgresTestDatabase.logger)
            let executor = InsertExecutor()
            let writer = PostgresBatchWriter(storage: storage, executor: executor, config: config, logger: PostgresTestDatabase.logger)
            do {
                try await body(writer, executor, storage)
                await writer.close()
                await storage.close()
            } catch {
                await writer.close()
                await storage.close()
                throw error
            }
        }
    }

    /// Many concurrent writes commit in far fewer transactions, never more at once than allowed.
    @Test(arguments: [1, 3])
    func concurrentWritesShareTransactions(concurrentBatches: Int) async throws {
        try await withWriter(.init(maxBatchSize: 50, concurrentBatches: concurrentBatches)) { writer, executor, storage in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for value in 0..<400 {
                    group.addTask {
                        let written = try await writer.submit(Int64(value))
                        #expect(written == Int64(value))
                    }
                }
                try await group.waitForAll()
            }
            let count = try await storage.rows("SELECT COUNT(*)::BIGINT AS n FROM t").first?.makeRandomAccess().int64("n")
            #expect(count == 400)
            #expect(executor.batches.all.reduce(0, +) == 400)
            #expect(executor.batches.all.allSatisfy { $0 <= 50 })
            #expect(executor.batches.all.count < 400, "no write shared a transaction")
        }
    }

    /// A write that fails its batch's transaction fails alone: the others are written again,
    /// each on its own, and succeed.
    @Test func aFailingWriteDoesNotFailItsBatch() async throws {
        try await withWriter(.init(maxBatchSize: 50, concurrentBatches: 1)) { writer, _, storage in
            _ = try await writer.submit(7)
            let results = try await withThrowingTaskGroup(of: (Int64, Bool).self) { group in
                for value in [Int64(5), 6, 7, 8, 9] {
                    group.addTask { (value, (try? await writer.submit(value)) != nil) }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            #expect(results == [5: true, 6: true, 7: false, 8: true, 9: true])
            let values = try await storage.rows("SELECT v FROM t ORDER BY v").map { try $0.makeRandomAccess().int64("v") }
            #expect(values == [5, 6, 7, 8, 9])
        }
    }

    @Test func closedWriterRefuses() async throws {
        try await withWriter(.defaults) { writer, _, _ in
            await writer.close()
            await #expect(throws: StorageError.closed) { try await writer.submit(1) }
        }
    }
}
