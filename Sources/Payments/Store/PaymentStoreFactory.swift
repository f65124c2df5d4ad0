import Logging
import PostgresSupport
import StorageSupport

/// Opens the Payments store a `--db` value names.
public enum PaymentStoreFactory {
    /// SQLite for `sqlite:PATH` (one process owns the file), PostgreSQL for `postgres://…`
    /// (any number of replicas share the database). The schema is migrated on open; a
    /// PostgreSQL server is waited for up to `connectTimeout` (`PostgresUnreachableError`).
    public static func open(_ location: StoreLocation, connectTimeout: Duration = .seconds(30), logger: Logger) async throws -> any PaymentStore {
        switch location {
        case .sqlite(let path): return try await SQLitePaymentStore.open(path: path, logger: logger)
        case .postgres(let url):
            var config = PostgresPaymentStore.Config.defaults
            config.storage.connectTimeout = connectTimeout
            return try await PostgresPaymentStore.open(url: url, config: config, logger: logger)
        }
    }
}
