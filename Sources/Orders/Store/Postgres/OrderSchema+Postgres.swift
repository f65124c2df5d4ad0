import StorageSupport

extension OrderSchema {
    /// The same migrations for PostgreSQL: each version and name comes from the SQLite list,
    /// each statement list is written for PostgreSQL. The dialect differences: `BIGINT` for
    /// SQLite's 64-bit `INTEGER`, `COLLATE "C"` on ids so they sort bytewise as in SQLite (and
    /// pages follow the same order), no `WITHOUT ROWID`.
    static let postgresMigrations: [SchemaMigration] = SchemaMigration.translating(migrations, statements: postgresStatements)

    private static let postgresStatements: [Int: [String]] = [
        1: [
            """
            CREATE TABLE orders (
                id TEXT COLLATE "C" PRIMARY KEY,
                state TEXT NOT NULL,
                customer_id TEXT COLLATE "C" NOT NULL,
                total_cents BIGINT NOT NULL,
                currency TEXT NOT NULL,
                cancel_reason TEXT,
                payment_id TEXT,
                request_id TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                deliver_at BIGINT,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX orders_newest ON orders (created_at DESC, id DESC)",
            "CREATE INDEX orders_by_state ON orders (state, created_at DESC, id DESC)",
            "CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC, id DESC)",
            "CREATE INDEX orders_to_deliver ON orders (deliver_at) WHERE state = 'confirmed'",
            """
            CREATE TABLE order_items (
                order_id TEXT COLLATE "C" NOT NULL,
                position BIGINT NOT NULL,
                sku TEXT NOT NULL,
                quantity BIGINT NOT NULL,
                unit_price_cents BIGINT NOT NULL,
                PRIMARY KEY (order_id, position)
            )
            """,
            """
            CREATE TABLE payment_jobs (
                order_id TEXT COLLATE "C" NOT NULL,
                kind TEXT NOT NULL,
                attempts BIGINT NOT NULL,
                next_attempt_at BIGINT NOT NULL,
                deadline_at BIGINT,
                amount_cents BIGINT NOT NULL,
                currency TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                payment_token TEXT NOT NULL,
                payment_id TEXT,
                reason TEXT,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (order_id, kind)
            )
            """,
            "CREATE INDEX payment_jobs_due ON payment_jobs (next_attempt_at)",
            """
            CREATE TABLE idempotency_keys (
                request_id TEXT COLLATE "C" PRIMARY KEY,
                payload_hash TEXT NOT NULL,
                order_id TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at)",
        ],
        2: [
            "ALTER TABLE orders ADD COLUMN delivery_lease_until BIGINT"
        ],
        3: [
            """
            CREATE TABLE order_events (
                order_id TEXT COLLATE "C" NOT NULL,
                version BIGINT NOT NULL,
                state TEXT NOT NULL,
                cancel_reason TEXT,
                payment_id TEXT,
                deliver_at BIGINT,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (order_id, version)
            )
            """,
            "CREATE INDEX order_events_age ON order_events (updated_at)",
        ],
        // No triggers here: the batch writers append to order_feed as the last statement of
        // their transaction (`PostgresFeedAppend` explains why).
        4: [
            """
            CREATE TABLE order_feed (
                seq BIGINT PRIMARY KEY,
                order_id TEXT COLLATE "C" NOT NULL,
                customer_id TEXT COLLATE "C" NOT NULL,
                version BIGINT NOT NULL,
                state TEXT NOT NULL,
                cancel_reason TEXT,
                payment_id TEXT,
                deliver_at BIGINT,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX order_feed_by_customer ON order_feed (customer_id, seq)",
            "CREATE INDEX order_feed_age ON order_feed (updated_at)",
            """
            CREATE TABLE order_feed_head (
                id BIGINT PRIMARY KEY CHECK (id = 1),
                last_seq BIGINT NOT NULL,
                pruned_through BIGINT NOT NULL
            )
            """,
            "INSERT INTO order_feed_head (id, last_seq, pruned_through) VALUES (1, 0, 0)",
        ],
        5: [
            "ALTER TABLE payment_jobs ADD COLUMN trace_parent TEXT",
            "ALTER TABLE payment_jobs ADD COLUMN trace_state TEXT",
        ],
    ]
}
