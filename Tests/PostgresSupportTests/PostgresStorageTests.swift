import PostgresNIO
import PostgresSupport
import StorageSupport
import StoreTestSupport
import Testing

@Suite("PostgreSQL storage", .enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipReason)))
struct PostgresStorageTests {
    /// An acknowledged write is durable: every session commits synchronously, whatever the
    /// server's default says.
    @Test func sessionsCommitSynchronously() async throws {
        try await PostgresTestDatabase.withFreshSchema { url in
            // New sessions of the database default to asynchronous commit from here on.
            try await PostgresTestDatabase.withAdmin { admin in
                try await admin.execute("ALTER DATABASE \(unescaped: url.database) SET synchronous_commit = off")
            }
            let setting: String?
            do {
                let storage = try await PostgresStorage.open(url: url, migrations: [], logger: PostgresTestDatabase.logger)
                setting = try? await storage.rows("SELECT current_setting('synchronous_commit') AS value").first?.makeRandomAccess().text("value")
                await storage.close()
            }
            try await PostgresTestDatabase.withAdmin { admin in
                try await admin.execute("ALTER DATABASE \(unescaped: url.database) RESET synchronous_commit")
            }
            #expect(setting == "on")
        }
    }

    /// Replicas starting together apply each migration once (the advisory lock).
    @Test func concurrentOpensMigrateOnce() async throws {
        try await PostgresTestDatabase.withFreshSchema { url in
            let migrations = [
                SchemaMigration(version: 1, name: "one", statements: ["CREATE TABLE t (id BIGINT PRIMARY KEY)"]),
                SchemaMigration(version: 2, name: "two", statements: ["ALTER TABLE t ADD COLUMN v TEXT"]),
            ]
            let storages = try await withThrowingTaskGroup(of: PostgresStorage.self) { group in
                for _ in 0..<4 { group.addTask { try await PostgresStorage.open(url: url, migrations: migrations, logger: PostgresTestDatabase.logger) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let versions = try await storages[0].rows("SELECT version FROM schema_migrations ORDER BY version").map {
                try $0.makeRandomAccess().int64("version")
            }
            #expect(versions == [1, 2])
            for storage in storages { await storage.close() }
            // A newer database than this build knows is refused, not downgraded.
            await #expect(throws: StorageError.schemaTooNew(found: 2, known: 1)) {
                _ = try await PostgresStorage.open(url: url, migrations: Array(migrations.prefix(1)), logger: PostgresTestDatabase.logger)
            }
        }
    }
}
