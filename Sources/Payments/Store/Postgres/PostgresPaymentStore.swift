import Logging
import PostgresNIO
import PostgresSupport
import StorageSupport

/// The Payments store on PostgreSQL, for several Payments replicas sharing one database. Each
/// write is one statement, so one round trip and its own durable transaction; the unique order
/// id makes two replicas charging the same order race harmlessly (the first row wins).
public final class PostgresPaymentStore: PaymentStore {
    /// Tuning knobs.
    public struct Config: Sendable {
        /// Pool size, schema, application name.
        public var storage: PostgresStorage.Config

        public init(storage: PostgresStorage.Config = .defaults) {
            self.storage = storage
        }

        /// The defaults.
        public static var defaults: Config { Config() }
    }

    private let storage: PostgresStorage

    private init(storage: PostgresStorage) {
        self.storage = storage
    }

    /// Connects to the database at `url` and migrates it.
    public static func open(url: PostgresURL, config: Config = .defaults, logger: Logger) async throws -> PostgresPaymentStore {
        PostgresPaymentStore(
            storage: try await PostgresStorage.open(
                url: url, migrations: PaymentSchema.postgresMigrations, config: config.storage, logger: logger
            ))
    }

    /// See `PaymentStore`.
    public func insertIfAbsent(_ payment: PaymentRecord) async throws -> (payment: PaymentRecord, isNew: Bool) {
        let inserted = try await storage.rows(
            """
            INSERT INTO payments (\(unescaped: PaymentSchema.columns))
            VALUES (\(payment.id), \(payment.orderID), \(payment.status.rawValue), \(payment.amountCents), \(payment.currency),
                \(payment.customerID), \(payment.declineReason), \(payment.refundReason), \(payment.createdAt), \(payment.updatedAt),
                \(payment.refundedAt))
            ON CONFLICT (order_id) DO NOTHING
            RETURNING id
            """)
        guard inserted.isEmpty else { return (payment, true) }
        // ON CONFLICT waited for the other insert to commit: its row is visible now.
        guard let existing = try await self.payment(orderID: payment.orderID) else {
            throw StorageError.malformedRow(column: "payments.order_id")
        }
        return (existing, false)
    }

    /// See `PaymentStore`.
    public func payment(id: String) async throws -> PaymentRecord? {
        try await storage.rows("SELECT \(unescaped: PaymentSchema.columns) FROM payments WHERE id = \(id)")
            .first.map { try PaymentRows.payment(from: $0.makeRandomAccess()) }
    }

    /// See `PaymentStore`.
    public func payment(orderID: String) async throws -> PaymentRecord? {
        try await storage.rows("SELECT \(unescaped: PaymentSchema.columns) FROM payments WHERE order_id = \(orderID)")
            .first.map { try PaymentRows.payment(from: $0.makeRandomAccess()) }
    }

    /// See `PaymentStore`.
    public func refund(_ key: PaymentKey, reason: String, now: Int64) async throws -> (payment: PaymentRecord, refundedNow: Bool)? {
        let (column, value) = PaymentRows.keyColumn(key)
        let rows = try await storage.rows(
            """
            UPDATE payments SET status = 'refunded', refund_reason = \(reason), refunded_at = \(now), updated_at = \(now)
            WHERE \(unescaped: column) = \(value) AND status = 'approved'
            RETURNING \(unescaped: PaymentSchema.columns)
            """)
        if let row = rows.first { return (try PaymentRows.payment(from: row.makeRandomAccess()), true) }
        let existing =
            switch key {
            case .id(let id): try await payment(id: id)
            case .orderID(let orderID): try await payment(orderID: orderID)
            }
        return existing.map { ($0, false) }
    }

    /// See `PaymentStore`.
    public func close() async throws {
        await storage.close()
    }
}

extension PaymentSchema {
    /// The same migrations for PostgreSQL: versions and names from the SQLite list, statements
    /// in PostgreSQL's dialect (`BIGINT` for `INTEGER`, `COLLATE "C"` on ids, no `WITHOUT ROWID`).
    static let postgresMigrations: [SchemaMigration] = SchemaMigration.translating(migrations, statements: postgresStatements)

    private static let postgresStatements: [Int: [String]] = [
        1: [
            """
            CREATE TABLE payments (
                id TEXT COLLATE "C" PRIMARY KEY,
                order_id TEXT COLLATE "C" NOT NULL UNIQUE,
                status TEXT NOT NULL,
                amount_cents BIGINT NOT NULL,
                currency TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                decline_reason TEXT,
                refund_reason TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                refunded_at BIGINT
            )
            """
        ]
    ]
}
