import StorageSupport

/// The Payments database schema (`payments.db`).
enum PaymentSchema {
    static let migrations: [SchemaMigration] = [
        SchemaMigration(
            version: 1, name: "payments",
            statements: [
                """
                CREATE TABLE payments (
                    id TEXT PRIMARY KEY,
                    order_id TEXT NOT NULL UNIQUE,
                    status TEXT NOT NULL,
                    amount_cents INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    decline_reason TEXT,
                    refund_reason TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    refunded_at INTEGER
                ) WITHOUT ROWID
                """
            ])
    ]

    static let columns = """
        id, order_id, status, amount_cents, currency, customer_id, decline_reason, refund_reason, created_at, updated_at, refunded_at
        """
}

/// Row → value conversions for the payments table, the same on both databases.
enum PaymentRows {
    /// A payment from a row with `PaymentSchema.columns`.
    static func payment(from row: some StorageRow) throws -> PaymentRecord {
        guard let status = PaymentStatus(rawValue: try row.text("status")) else { throw StorageError.malformedRow(column: "status") }
        return PaymentRecord(
            id: try row.text("id"), orderID: try row.text("order_id"), status: status,
            amountCents: try row.int64("amount_cents"), currency: try row.text("currency"),
            customerID: try row.text("customer_id"), declineReason: try row.optionalText("decline_reason"),
            refundReason: try row.optionalText("refund_reason"), createdAt: try row.int64("created_at"),
            updatedAt: try row.int64("updated_at"), refundedAt: try row.optionalInt64("refunded_at")
        )
    }

    /// The column and value a key selects by.
    static func keyColumn(_ key: PaymentKey) -> (String, String) {
        switch key {
        case .id(let id): ("id", id)
        case .orderID(let orderID): ("order_id", orderID)
        }
    }
}
