import StorageSupport

/// The Orders database schema, as SQLite migrations. PostgreSQL gets the same tables, versions
/// and names (`OrderSchema.postgresMigrations`).
enum OrderSchema {
    static let migrations: [SchemaMigration] = [
        SchemaMigration(
            version: 1, name: "orders, items, payment jobs, idempotency keys",
            statements: [
                """
                CREATE TABLE orders (
                    id TEXT PRIMARY KEY,
                    state TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    total_cents INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    cancel_reason TEXT,
                    payment_id TEXT,
                    request_id TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    deliver_at INTEGER,
                    version INTEGER NOT NULL
                ) WITHOUT ROWID
                """,
                "CREATE INDEX orders_newest ON orders (created_at DESC, id DESC)",
                "CREATE INDEX orders_by_state ON orders (state, created_at DESC, id DESC)",
                "CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC, id DESC)",
                "CREATE INDEX orders_to_deliver ON orders (deliver_at) WHERE state = 'confirmed'",
                """
                CREATE TABLE order_items (
                    order_id TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    sku TEXT NOT NULL,
                    quantity INTEGER NOT NULL,
                    unit_price_cents INTEGER NOT NULL,
                    PRIMARY KEY (order_id, position)
                ) WITHOUT ROWID
                """,
                """
                CREATE TABLE payment_jobs (
                    order_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    next_attempt_at INTEGER NOT NULL,
                    deadline_at INTEGER,
                    amount_cents INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    payment_token TEXT NOT NULL,
                    payment_id TEXT,
                    reason TEXT,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (order_id, kind)
                ) WITHOUT ROWID
                """,
                "CREATE INDEX payment_jobs_due ON payment_jobs (next_attempt_at)",
                """
                CREATE TABLE idempotency_keys (
                    request_id TEXT PRIMARY KEY,
                    payload_hash TEXT NOT NULL,
                    order_id TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                ) WITHOUT ROWID
                """,
                "CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at)",
            ]),
        SchemaMigration(
            version: 2, name: "delivery leases",
            statements: [
                // Set while one scheduler (of possibly several replicas) delivers the order.
                "ALTER TABLE orders ADD COLUMN delivery_lease_until INTEGER"
            ]),
        SchemaMigration(
            version: 3, name: "order events",
            statements: [
                // Every transition's change, appended in its transaction, so a watcher on another
                // replica can read each state an order passed through (PostgreSQL's `OrderEventFeed`).
                // The version is the order's after the transition (creation is version 1 and needs
                // no event: a watch starts from the order as read). Pruned after a retention
                // (`OrderSystem.Config.orderEventRetention`). A SQLite file has one process, whose
                // watchers get each change in memory, so on SQLite it stays empty.
                """
                CREATE TABLE order_events (
                    order_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    cancel_reason TEXT,
                    payment_id TEXT,
                    deliver_at INTEGER,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (order_id, version)
                ) WITHOUT ROWID
                """,
                "CREATE INDEX order_events_age ON order_events (updated_at)",
            ]),
        SchemaMigration(
            version: 4, name: "order feed",
            statements: [
                // The order feed (WatchOrders): every committed change of every order, creation
                // included, numbered by `seq` in commit order. `order_feed_head` holds the last
                // number handed out and the highest one pruned (a cursor below it has lost events:
                // OUT_OF_RANGE). Pruning deletes a prefix of `seq`, so what is retained is always
                // everything after `pruned_through`.
                """
                CREATE TABLE order_feed (
                    seq INTEGER PRIMARY KEY,
                    order_id TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    cancel_reason TEXT,
                    payment_id TEXT,
                    deliver_at INTEGER,
                    updated_at INTEGER NOT NULL
                )
                """,
                "CREATE INDEX order_feed_by_customer ON order_feed (customer_id, seq)",
                "CREATE INDEX order_feed_age ON order_feed (updated_at)",
                """
                CREATE TABLE order_feed_head (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    last_seq INTEGER NOT NULL,
                    pruned_through INTEGER NOT NULL
                )
                """,
                "INSERT INTO order_feed_head (id, last_seq, pruned_through) VALUES (1, 0, 0)",
                // One writer commits everything on SQLite, so numbering inside the transaction is
                // commit order; triggers catch every insert and every versioned update.
                """
                CREATE TRIGGER order_feed_on_create AFTER INSERT ON orders BEGIN
                    UPDATE order_feed_head SET last_seq = last_seq + 1;
                    INSERT INTO order_feed (seq, order_id, customer_id, version, state, cancel_reason, payment_id, deliver_at, updated_at)
                    SELECT last_seq, NEW.id, NEW.customer_id, NEW.version, NEW.state, NEW.cancel_reason, NEW.payment_id,
                        NEW.deliver_at, NEW.updated_at FROM order_feed_head;
                END
                """,
                """
                CREATE TRIGGER order_feed_on_change AFTER UPDATE OF version ON orders BEGIN
                    UPDATE order_feed_head SET last_seq = last_seq + 1;
                    INSERT INTO order_feed (seq, order_id, customer_id, version, state, cancel_reason, payment_id, deliver_at, updated_at)
                    SELECT last_seq, NEW.id, NEW.customer_id, NEW.version, NEW.state, NEW.cancel_reason, NEW.payment_id,
                        NEW.deliver_at, NEW.updated_at FROM order_feed_head;
                END
                """,
            ]),
        SchemaMigration(
            version: 5, name: "payment job trace context",
            statements: [
                // The W3C trace context of the call that created the job (`JobTraceContext`), so
                // an attempt claimed later joins the order's trace. NULL without tracing, and for
                // the jobs of earlier versions.
                "ALTER TABLE payment_jobs ADD COLUMN trace_parent TEXT",
                "ALTER TABLE payment_jobs ADD COLUMN trace_state TEXT",
            ]),
    ]
}
