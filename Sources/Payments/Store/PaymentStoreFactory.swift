import Logging
import PostgresSupport

/// Opens the Payments store a `--db` value names.
public enum PaymentStoreFactory {
    /// SQLite for `sqlite:PATH` (one process owns the file), PostgreSQL for `postgres://…`
    /// (any number of replicas share the database). The schema is migrated on open.
    public static func open(_ location: StoreLocation, logger: Logger) async throws -> any PaymentStore {
        switch location {
        case .sqlite(let path): try await SQLitePaymentStore.open(path: path, logger: logger)
        case .postgres(let url): try await PostgresPaymentStore.open(url: url, logger: logger)
        }
    }
}
