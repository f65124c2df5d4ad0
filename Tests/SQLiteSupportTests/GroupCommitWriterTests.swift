import Logging
import SQLiteNIO
import Synchronization
import Testing
import StorageSupport
@testable import SQLiteSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Inserts numbers; a negative number fails its whole transaction (as a constraint or disk
/// error would), and 0 is refused on its own without writing.
/// With `holdFirstBatch`, the first batch waits inside its transaction until `release()`.
final class NumberExecutor: WriteBatchExecutor {
    let batchSizes = Mutex<[Int]>([])
    private let held: Mutex<Bool>

    init(holdFirstBatch: Bool = false) {
        held = Mutex(holdFirstBatch)
    }

    /// Lets a held first batch go on.
    func release() {
        held.withLock { $0 = false }
    }

    func execute(_ requests: [Call<Int, Int>], on connection: SQLiteConnection) async throws -> BatchOutcome {
        batchSizes.withLock { $0.append(requests.count) }
        while held.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(2)) }
        var outcome = BatchOutcome()
        for request in requests {
            let number = request.input
            if number == 0 {
                outcome.deliveries.append(request.reply.answer(.failure(StorageError.malformedRow(column: "zero"))))
                continue
            }
            try await connection.execute("INSERT INTO numbers (n) VALUES (?)", [.integer(number)])
            outcome.deliveries.append(request.reply.answer(number))
        }
        return outcome
    }
}

let migrations = [
    SchemaMigration(version: 1, name: "numbers", statements: ["CREATE TABLE numbers (n INTEGER NOT NULL CHECK (n > 0))"])
]

func withStorage<T>(_ body: (SQLiteStorage, String) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.path + "/sqlite-support-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var logger = Logger(label: "sqlite-support-tests")
    logger.logLevel = .critical
    let storage = try await SQLiteStorage.open(path: directory + "/test.db", migrations: migrations, logger: logger)
    let result: T
    do {
        result = try await body(storage, directory)
    } catch {
        try? await storage.close()
        throw error
    }
    try await storage.close()
    return result
}

/// Polls `condition` until it holds; fails the test if it never does within `timeout` (far
/// above what the work needs: a liveness wait, not a timing assertion).
func eventually(
    timeout: Duration = .seconds(20), _ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool
) async throws {
    let end = ContinuousClock.now + timeout
    while ContinuousClock.now < end {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    Issue.record("\(what) did not happen within \(timeout)", sourceLocation: sourceLocation)
    throw CancellationError()
}

@Suite("Group commit writer and storage")
struct GroupCommitWriterTests {
    var logger: Logger {
        var logger = Logger(label: "t")
        logger.logLevel = .critical
        return logger
    }

    /// Writes that queue while a transaction commits go together into the next ones, up to
    /// the batch size; each caller gets its own answer.
    @Test func writesQueuedDuringACommitShareTheNextTransactions() async throws {
        try await withStorage { storage, _ in
            let executor = NumberExecutor(holdFirstBatch: true)
            let writer = SQLiteBatchWriter(connection: storage.writer, executor: executor, maxBatchSize: 256, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let first: Int = try await writer.submit(1)
                    #expect(first == 1)
                }
                try await eventually("the first batch started") { executor.batchSizes.withLock { $0 } == [1] }
                for number in 2...500 {
                    group.addTask {
                        let written = try await writer.submit(number)
                        #expect(written == number)
                    }
                }
                try await eventually("499 writes queued") { writer.queuedCount == 499 }
                executor.release()
                try await group.waitForAll()
            }
            await writer.close()
            let sizes = executor.batchSizes.withLock { $0 }
            #expect(sizes == [1, 256, 243])
            let count = try await storage.reader.rows("SELECT COUNT(*) AS c FROM numbers").first?.int64("c")
            #expect(count == 500)
        }
    }

    @Test func aFailingWriteDoesNotFailItsBatch() async throws {
        try await withStorage { storage, _ in
            let writer = SQLiteBatchWriter(connection: storage.writer, executor: NumberExecutor(), logger: logger)
            let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
                for number in [5, -1, 7, 0, 9, -2, 11] {
                    group.addTask { ((number), (try? await writer.submit(number)) != nil) }
                }
                return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            await writer.close()
            #expect(outcomes == [5: true, -1: false, 7: true, 0: false, 9: true, -2: false, 11: true])
            let rows = try await storage.reader.rows("SELECT n FROM numbers ORDER BY n").map { try $0.int64("n") }
            #expect(rows == [5, 7, 9, 11])
        }
    }

    @Test func closedWriterRefuses() async throws {
        try await withStorage { storage, _ in
            let writer = SQLiteBatchWriter(connection: storage.writer, executor: NumberExecutor(), logger: logger)
            await writer.close()
            await #expect(throws: StorageError.closed) { try await writer.submit(1) }
        }
    }

    @Test func pragmasAndMigrations() async throws {
        try await withStorage { storage, directory in
            let journal = try await storage.writer.rows("PRAGMA journal_mode").first?.text("journal_mode")
            let writerSync = try await storage.writer.rows("PRAGMA synchronous").first?.int64("synchronous")
            let readerSync = try await storage.reader.rows("PRAGMA synchronous").first?.int64("synchronous")
            let busy = try await storage.writer.rows("PRAGMA busy_timeout").first?.int64("timeout")
            #expect(journal == "wal")
            #expect(writerSync == 2, "FULL")
            #expect(readerSync == 2, "FULL")
            #expect(busy == 5000)
            let versions = try await storage.writer.rows("SELECT version FROM schema_migrations").map { try $0.int64("version") }
            #expect(versions == [1])
            // Readers cannot write.
            await #expect(throws: (any Error).self) { try await storage.reader.execute("INSERT INTO numbers (n) VALUES (1)") }
            // A file migrated by a newer build is refused, not downgraded.
            await #expect(throws: StorageError.schemaTooNew(found: 1, known: 0)) {
                _ = try await SQLiteStorage.open(path: directory + "/test.db", migrations: [], logger: logger)
            }
        }
    }

    @Test func readersAnswerOnTheEventLoopTheyAreAskedFrom() async throws {
        try await withStorage { storage, _ in
            // From each event loop of the shared group (where the servers' handlers run), a
            // reader of that loop: its rows come back on the caller's own thread.
            for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
                for _ in 0..<3 {
                    let readerLoop = try await loop.submit { storage.reader.eventLoop }.get()
                    #expect(readerLoop === loop)
                }
            }
            // By default no connection maps the file: mapped pages would count in the RSS.
            for _ in 0..<4 {
                #expect(try await storage.reader.rows("PRAGMA mmap_size").first?.int64("mmap_size") == 0)
            }
            #expect(try await storage.writer.rows("PRAGMA mmap_size").first?.int64("mmap_size") == 0)
        }
    }

    @Test func readersMapTheFileOnlyWhenAsked() async throws {
        let directory = FileManager.default.temporaryDirectory.path + "/sqlite-support-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "sqlite-support-tests")
        logger.logLevel = .critical
        let storage = try await SQLiteStorage.open(
            path: directory + "/test.db", migrations: migrations, config: SQLiteStorage.Config(mmapSize: 1 << 20), logger: logger)
        do {
            for _ in 0..<4 {
                #expect(try await storage.reader.rows("PRAGMA mmap_size").first?.int64("mmap_size") == 1 << 20)
            }
            // Writes never go through the map.
            #expect(try await storage.writer.rows("PRAGMA mmap_size").first?.int64("mmap_size") == 0)
        } catch {
            try? await storage.close()
            throw error
        }
        try await storage.close()
    }

    @Test func migrationsApplyOnlyWhatIsMissing() async throws {
        try await withStorage { storage, directory in
            let more = migrations + [SchemaMigration(version: 2, name: "index", statements: ["CREATE INDEX numbers_n ON numbers (n)"])]
            let reopened = try await SQLiteStorage.open(path: directory + "/test.db", migrations: more, logger: logger)
            let versions = try await reopened.writer.rows("SELECT version FROM schema_migrations ORDER BY version").map { try $0.int64("version") }
            #expect(versions == [1, 2])
            try await reopened.close()
        }
    }
}
