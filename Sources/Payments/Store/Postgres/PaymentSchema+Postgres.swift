import StorageSupport

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
            """,
        ],
    ]
}
