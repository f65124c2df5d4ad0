import StorageSupport

/// The Payments database schema (`payments.db`).
enum PaymentSchema {
    static let migrations: [SchemaMigration] = [
        SchemaMigration(version: 1, name: "payments", statements: [
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
            """,
        ]),
    ]

    static let columns = """
        id, order_id, status, amount_cents, currency, customer_id, decline_reason, refund_reason, created_at, updated_at, refunded_at
        """
}
