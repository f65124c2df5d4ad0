import Logging
import SQLiteNIO
import SQLiteSupport

/// The Payments store on one SQLite file: reads on reader connections, writes through one
/// group-commit writer.
public final class SQLitePaymentStore: PaymentStore {
    /// Tuning knobs: connections, busy timeout, batch size.
    public typealias Config = SQLiteStoreConfig

    private let storage: SQLiteStorage
    private let writer: SQLiteBatchWriter<PaymentWriteExecutor>
    private let lookups: PaymentLookups

    private init(storage: SQLiteStorage, writer: SQLiteBatchWriter<PaymentWriteExecutor>) {
        self.storage = storage
        self.writer = writer
        self.lookups = PaymentLookups { storage.reader }
    }

    /// Opens (creating and migrating as needed) the database at `path`.
    public static func open(path: String, config: Config = .defaults, logger: Logger) async throws -> SQLitePaymentStore {
        let storage = try await SQLiteStorage.open(path: path, migrations: PaymentSchema.migrations, config: config.storage, logger: logger)
        let writer = SQLiteBatchWriter(
            connection: storage.writer, executor: PaymentWriteExecutor(), maxBatchSize: config.maxBatchSize, logger: logger
        )
        return SQLitePaymentStore(storage: storage, writer: writer)
    }

    /// See `PaymentStore`.
    public func insertIfAbsent(_ payment: PaymentRecord) async throws -> (payment: PaymentRecord, isNew: Bool) {
        try await writer.submit { .insert(payment, $0) }
    }

    /// See `PaymentStore`.
    public func payment(id: String) async throws -> PaymentRecord? {
        try await PaymentRows.payment(.id(id), on: storage.reader)
    }

    /// See `PaymentStore`.
    public func payment(orderID: String) async throws -> PaymentRecord? {
        try await lookups.payment(orderID: orderID)
    }

    /// See `PaymentStore`.
    public func refund(_ key: PaymentKey, reason: String, now: Int64) async throws -> (payment: PaymentRecord, refundedNow: Bool)? {
        try await writer.submit { .refund(key, reason: reason, now: now, $0) }
    }

    /// See `PaymentStore`.
    public func close() async throws {
        await writer.close()
        try await storage.close()
    }
}

extension PaymentRows {
    /// The bind values of one payment, in the order of `PaymentSchema.columns`.
    static func binds(of payment: PaymentRecord) -> [SQLiteData] {
        [
            .text(payment.id), .text(payment.orderID), .text(payment.status.rawValue), .int64(payment.amountCents),
            .text(payment.currency), .text(payment.customerID), .optionalText(payment.declineReason),
            .optionalText(payment.refundReason), .int64(payment.createdAt), .int64(payment.updatedAt),
            .optionalInt64(payment.refundedAt),
        ]
    }

    /// The payment a key selects, read on `connection`.
    static func payment(_ key: PaymentKey, on connection: SQLiteConnection) async throws -> PaymentRecord? {
        let (column, value) = keyColumn(key)
        return try await connection.rows("SELECT \(PaymentSchema.columns) FROM payments WHERE \(column) = ?", [.text(value)])
            .first.map(payment(from:))
    }
}
