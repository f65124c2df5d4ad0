import Logging
import PostgresNIO
import StorageSupport

/// Brings a PostgreSQL database to the newest schema, like SQLite's migrator: the same
/// `schema_migrations` table and version numbers, each missing migration applied once.
///
/// All of it runs in one transaction holding an advisory lock named after the schema, so
/// replicas starting together wait for each other instead of applying a migration twice.
struct PostgresMigrator {
    let storage: PostgresStorage
    let logger: Logger

    func migrate(to migrations: [SchemaMigration], creatingSchema schema: String?) async throws {
        // Nothing to create: a connection for ad-hoc queries (tools, tests) leaves the database alone.
        guard !migrations.isEmpty || schema != nil else { return }
        let sorted = migrations.sorted { $0.version < $1.version }
        let newest = sorted.last?.version ?? 0
        let applied = try await storage.transaction { connection -> [SchemaMigration] in
            let lockName = "orderhub.migrations." + storage.schema
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lockName)))", logger: logger)
            if let schema {
                // Checked by PostgresIdentifier: safe to put into the statement.
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
            }
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at BIGINT NOT NULL
                )
                """, logger: logger)
            let rows = try await connection.rows("SELECT COALESCE(MAX(version), 0)::BIGINT AS version FROM schema_migrations", logger: logger)
            let current = try rows.first.map { try $0.makeRandomAccess().int64("version") } ?? 0
            guard current <= newest else { throw StorageError.schemaTooNew(found: Int(current), known: newest) }
            var applied: [SchemaMigration] = []
            for migration in sorted where migration.version > current {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    """
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(Int64(migration.version)), \(migration.name), (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT)
                    """, logger: logger)
                applied.append(migration)
            }
            return applied
        }
        for migration in applied {
            logger.info("applied schema migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
        }
    }
}
