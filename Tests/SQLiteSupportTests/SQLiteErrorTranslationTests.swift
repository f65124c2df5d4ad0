import Logging
import SQLiteNIO
import StorageSupport
import Testing
@testable import SQLiteSupport

@Suite("SQLite failures as storage errors")
struct SQLiteErrorTranslationTests {
    /// SQLITE_FULL (here the database's page limit, as a full disk gives it) is
    /// `StorageError.diskFull`, which the services answer with RESOURCE_EXHAUSTED; reads go on.
    @Test func aFullDatabaseIsDiskFullAndReadsGoOn() async throws {
        try await withStorage { storage, _ in
            try await storage.writer.execute("INSERT INTO numbers (n) VALUES (1)")
            try await storage.writer.execute("CREATE TABLE filler (b BLOB)")
            let pages = try #require(try await storage.writer.rows("PRAGMA page_count").first?.int64("page_count"))
            try await storage.writer.execute("PRAGMA max_page_count = \(pages + 2)")
            var failure: (any Error)?
            for _ in 0..<50 where failure == nil {
                do {
                    try await storage.writer.execute("INSERT INTO filler (b) VALUES (zeroblob(65536))")
                } catch {
                    failure = error
                }
            }
            guard case StorageError.diskFull(let detail)? = failure as? StorageError else {
                Issue.record("expected StorageError.diskFull, got \(String(describing: failure))")
                return
            }
            #expect(detail.contains("full"))
            let count = try await storage.reader.rows("SELECT COUNT(*) AS c FROM numbers WHERE n = 1").first?.int64("c")
            #expect(count == 1)
        }
    }

    /// A write lock held past the busy timeout (another process on the file) is
    /// `StorageError.busy`, which the services answer with UNAVAILABLE; once the lock is
    /// gone, the write succeeds.
    @Test func aLockHeldPastTheBusyTimeoutIsBusy() async throws {
        try await withStorage { storage, directory in
            let other = try await SQLiteConnection.open(storage: .file(path: directory + "/test.db"))
            try await other.execute("BEGIN IMMEDIATE")
            try await storage.writer.execute("PRAGMA busy_timeout = 50")
            do {
                try await storage.writer.execute("INSERT INTO numbers (n) VALUES (3)")
                Issue.record("the write succeeded under another writer's lock")
            } catch StorageError.busy {
                // Expected.
            } catch {
                Issue.record("expected StorageError.busy, got \(String(reflecting: error))")
            }
            try await other.execute("ROLLBACK")
            try await other.close()
            try await storage.writer.execute("INSERT INTO numbers (n) VALUES (3)")
        }
    }

    @Test func codesThatFitNoKindStaySQLiteErrors() async throws {
        try await withStorage { storage, _ in
            do {
                try await storage.writer.execute("SELECT * FROM no_such_table")
                Issue.record("the query succeeded")
            } catch {
                #expect(error is SQLiteError)
            }
        }
    }
}
