import Logging
import SQLiteNIO
import SQLiteSupport

/// The Orders store on one SQLite file (`orders.db`): reads on reader connections, every
/// write through one group-commit writer, change notifications from committed writes.
///
/// One process owns the file: the job leases and the change notifications are in-process.
public final class SQLiteOrderStore: OrderStore {
    /// Tuning knobs: connections, busy timeout, batch size.
    public typealias Config = SQLiteStoreConfig

    private let storage: SQLiteStorage
    private let writer: SQLiteBatchWriter<OrderWriteExecutor>
    private let broadcaster: OrderChangeBroadcaster
    /// Recent orders for `order(id:)`; kept current by the writer's executor.
    private let cache: OrderRecordCache

    private init(
        storage: SQLiteStorage, writer: SQLiteBatchWriter<OrderWriteExecutor>, broadcaster: OrderChangeBroadcaster, cache: OrderRecordCache,
        feedCommits: WakeSignal
    ) {
        self.feedCommits = feedCommits
        self.storage = storage
        self.writer = writer
        self.broadcaster = broadcaster
        self.cache = cache
    }

    /// Orders kept in memory for `order(id:)` unless the caller says otherwise.
    public static let defaultOrderCacheSize = 16_384

    /// Opens (creating and migrating as needed) the database at `path`. At most `orderCacheSize`
    /// orders are kept in memory for `order(id:)`; 0 sends every read to the database.
    public static func open(
        path: String, config: Config = .defaults, orderCacheSize: Int = defaultOrderCacheSize, logger: Logger
    ) async throws -> SQLiteOrderStore {
        precondition(orderCacheSize >= 0, "orderCacheSize must not be negative")
        let storage = try await SQLiteStorage.open(path: path, migrations: OrderSchema.migrations, config: config.storage, logger: logger)
        let broadcaster = OrderChangeBroadcaster()
        let cache = OrderRecordCache(capacity: orderCacheSize)
        let feedCommits = WakeSignal()
        let writer = SQLiteBatchWriter(
            connection: storage.writer, executor: OrderWriteExecutor(broadcaster: broadcaster, cache: cache, feedCommits: feedCommits),
            maxBatchSize: config.maxBatchSize, logger: logger
        )
        return SQLiteOrderStore(storage: storage, writer: writer, broadcaster: broadcaster, cache: cache, feedCommits: feedCommits)
    }

    /// See `OrderStore`.
    public func create(_ order: NewOrder) async throws -> CreateResult {
        try await writer.submit { .create(order, $0) }
    }

    /// See `OrderStore`.
    public func order(id: String) async throws -> OrderRecord? {
        if let cached = cache.lookup(id) { return cached }
        let token = cache.readToken()
        let rows = try await storage.reader.rows(
            """
            SELECT \(OrderRows.orderColumns) FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
            WHERE o.id = ? ORDER BY i.position
            """, [.text(id)])
        guard let record = try OrderRows.orders(from: rows).first else { return nil }
        cache.fill(record, token: token)
        return record
    }

    /// See `OrderStore`.
    public func cachedOrder(id: String) -> OrderRecord? {
        cache.lookup(id)
    }

    /// See `OrderStore`.
    public func list(_ query: OrderListQuery) async throws -> OrderPage {
        var conditions: [String] = []
        var binds: [SQLiteData] = []
        if let state = query.state {
            conditions.append("state = ?")
            binds.append(.text(state.rawValue))
        }
        if let customerID = query.customerID {
            conditions.append("customer_id = ?")
            binds.append(.text(customerID))
        }
        if let after = query.after {
            conditions.append("(created_at, id) < (?, ?)")
            binds += [.int64(after.createdAt), .text(after.id)]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        binds.append(.integer(query.pageSize + 1))
        let rows = try await storage.reader.rows(
            """
            SELECT \(OrderRows.orderColumns)
            FROM (SELECT * FROM orders \(filter) ORDER BY created_at DESC, id DESC LIMIT ?) o
            LEFT JOIN order_items i ON i.order_id = o.id
            ORDER BY o.created_at DESC, o.id DESC, i.position
            """, binds)
        var orders = try OrderRows.orders(from: rows)
        var next: OrderCursor?
        if orders.count > query.pageSize {
            orders.removeLast(orders.count - query.pageSize)
            next = orders.last.map { OrderCursor(createdAt: $0.createdAt, id: $0.id) }
        }
        return OrderPage(orders: orders, next: next)
    }

    /// See `OrderStore`.
    public func write(_ write: OrderWrite) async throws -> OrderWrite.Outcome {
        try await writer.submit { .write(write, $0) }
    }

    /// See `OrderStore`.
    public func claimDueJobs(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [PaymentJob] {
        try await writer.submit { .claim(now: now, leaseUntil: leaseUntil, limit: limit, $0) }
    }

    /// See `OrderStore`.
    public func rescheduleJob(orderID: String, kind: PaymentJob.Kind, attempts: Int, nextAttemptAt: Int64) async throws {
        try await writer.submit { .reschedule(orderID: orderID, kind: kind, attempts: attempts, nextAttemptAt: nextAttemptAt, $0) }
    }

    /// See `OrderStore`.
    public func earliestJobDue() async throws -> Int64? {
        try await storage.reader.rows("SELECT MIN(next_attempt_at) AS due FROM payment_jobs").first?.optionalInt64("due")
    }

    /// See `OrderStore`.
    public func jobBacklog() async throws -> (count: Int, earliestDue: Int64?) {
        let row = try await storage.reader.rows("SELECT COUNT(*) AS jobs, MIN(next_attempt_at) AS due FROM payment_jobs").first
        return (Int(try row?.optionalInt64("jobs") ?? 0), try row?.optionalInt64("due"))
    }

    /// See `OrderStore`.
    public func dueDeliveries(now: Int64, limit: Int) async throws -> [String] {
        // The literal state matches the partial index orders_to_deliver; INDEXED BY, because
        // SQLite would otherwise read every confirmed order through orders_by_state and sort.
        try await storage.reader.rows(
            "SELECT id FROM orders INDEXED BY orders_to_deliver WHERE state = 'confirmed' AND deliver_at <= ? ORDER BY deliver_at LIMIT ?",
            [.int64(now), .integer(limit)]
        ).map { try $0.text("id") }
    }

    /// See `OrderStore`.
    public func claimDueDeliveries(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [String] {
        try await writer.submit { .claimDeliveries(now: now, leaseUntil: leaseUntil, limit: limit, $0) }
    }

    /// Confirmed orders `earliestDelivery` reads before it knows the answer (normally).
    static let earliestDeliveryWindow = 512

    /// See `OrderStore`. An order's due time is never before its `deliver_at`, so reading the
    /// confirmed orders by `deliver_at` can stop at the first one due no earlier than the best
    /// found: only leased orders (deliveries in flight) are read past. The first
    /// `earliestDeliveryWindow` of them settle it unless every one is leased beyond the last;
    /// then every confirmed order is read, as this did each time, a read that under load
    /// covered thousands of orders waiting out their delivery delay.
    public func earliestDelivery() async throws -> Int64? {
        let window = Self.earliestDeliveryWindow
        let rows = try await storage.reader.rows(
            """
            SELECT deliver_at, MAX(deliver_at, COALESCE(delivery_lease_until, 0)) AS due FROM orders INDEXED BY orders_to_deliver
            WHERE state = 'confirmed' AND deliver_at IS NOT NULL ORDER BY deliver_at LIMIT ?
            """, [.integer(window)])
        guard let best = try rows.map({ try $0.int64("due") }).min() else { return nil }
        if try rows.count < window || rows[rows.count - 1].int64("deliver_at") >= best { return best }
        return try await storage.reader.rows(
            "SELECT MIN(MAX(deliver_at, COALESCE(delivery_lease_until, 0))) AS due FROM orders INDEXED BY orders_to_deliver WHERE state = 'confirmed'"
        ).first?.optionalInt64("due")
    }

    /// See `OrderStore`.
    public func purgeIdempotencyKeys(createdBefore cutoff: Int64) async throws -> Int {
        try await writer.submit { .purgeKeys(createdBefore: cutoff, $0) }
    }

    /// See `OrderStore`: only the feed. SQLite's watchers are in this process and get every
    /// change in memory, so this store writes no `order_events`.
    public func purgeOrderEvents(before cutoff: Int64) async throws -> Int {
        try await writer.submit { .purgeFeed(before: cutoff, $0) }
    }

    /// See `OrderStore`: one statement on a reader connection, so one snapshot.
    public func feedPage(_ query: OrderFeedQuery) async throws -> OrderFeedPage {
        var conditions = ["seq > ?"]
        var binds: [SQLiteData] = [.int64(query.after)]
        if let through = query.through {
            conditions.append("seq <= ?")
            binds.append(.int64(through))
        }
        if let customerID = query.filter.customerID {
            conditions.append("customer_id = ?")
            binds.append(.text(customerID))
        }
        if !query.filter.states.isEmpty {
            conditions.append("state IN (\(SQLPlaceholders.list(query.filter.states.count)))")
            binds += query.filter.states.map { .text($0.rawValue) }
        }
        binds.append(.integer(query.limit))
        let page = "SELECT * FROM order_feed WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq LIMIT ?"
        return try OrderFeedRows.page(
            from: try await storage.reader.rows(
                "SELECT \(OrderFeedRows.columns) \(OrderFeedRows.from(page: page))", binds
            ))
    }

    /// See `OrderStore`: signalled by the writer after each commit that wrote to `orders`.
    public let feedCommits: WakeSignal

    /// See `OrderStore`.
    public func changes(of orderID: String) -> AsyncStream<OrderChange> {
        broadcaster.subscribe(to: orderID)
    }

    /// See `OrderStore`.
    public func close() async throws {
        await writer.close()
        try await storage.close()
    }
}
