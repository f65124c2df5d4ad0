import Logging
import SQLiteNIO
import StorageSupport

/// Brings a database to the newest schema: creates the version table, then applies each
/// missing migration in its own transaction, recording it as it commits.
struct SchemaMigrator {
    let connection: SQLiteConnection
    let logger: Logger

    func migrate(to migrations: [SchemaMigration]) async throws {
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at INTEGER NOT NULL
            )
            """)
        let rows = try await connection.rows("SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations")
        let current = try rows.first?.int64("version") ?? 0
        let sorted = migrations.sorted { $0.version < $1.version }
        let newest = sorted.last?.version ?? 0
        guard current <= newest else { throw StorageError.schemaTooNew(found: Int(current), known: newest) }
        for migration in sorted where migration.version > current {
            try await connection.execute("BEGIN IMMEDIATE")
            do {
                for statement in migration.statements { try await connection.execute(statement) }
                try await connection.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, CAST(strftime('%s', 'now') AS INTEGER) * 1000)",
                    [.integer(migration.version), .text(migration.name)]
                )
                try await connection.execute("COMMIT")
            } catch {
                try? await connection.execute("ROLLBACK")
                throw error
            }
            logger.info("applied schema migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
        }
    }
}
