import Logging
import PostgresSupport
import StorageSupport

/// Durable storage of payments: one per order, the order id a unique key. One implementation
/// per database (`SQLitePaymentStore`, `PostgresPaymentStore`); nothing here names a dialect.
public protocol PaymentStore: Sendable {
    /// Inserts the payment unless one exists for its order; returns the stored payment (the
    /// first one on a repeat) and whether this call inserted it. Durable on return.
    func insertIfAbsent(_ payment: PaymentRecord) async throws -> (payment: PaymentRecord, isNew: Bool)

    /// The payment with this id, or nil.
    func payment(id: String) async throws -> PaymentRecord?

    /// The payment for this order, or nil.
    func payment(orderID: String) async throws -> PaymentRecord?

    /// Moves an approved payment to refunded with one conditional write; returns the stored
    /// payment afterwards (unchanged when it was not approved) and whether this call refunded
    /// it, or nil when there is none.
    func refund(_ key: PaymentKey, reason: String, now: Int64) async throws -> (payment: PaymentRecord, refundedNow: Bool)?

    /// Finishes queued writes and closes the database.
    func close() async throws
}

/// Names a payment by its id or by its order.
public enum PaymentKey: Sendable, Hashable {
    case id(String)
    case orderID(String)
}

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
