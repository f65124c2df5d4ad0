import Logging
import PostgresSupport

/// Opens the Orders store a `--db` value names.
public enum OrderStoreFactory {
    /// SQLite for `sqlite:PATH` (one process owns the file), PostgreSQL for `postgres://…`
    /// (any number of replicas share the database). The schema is migrated on open.
    public static func open(_ location: StoreLocation, logger: Logger) async throws -> any OrderStore {
        switch location {
        case .sqlite(let path): try await SQLiteOrderStore.open(path: path, logger: logger)
        case .postgres(let url): try await PostgresOrderStore.open(url: url, logger: logger)
        }
    }
}
