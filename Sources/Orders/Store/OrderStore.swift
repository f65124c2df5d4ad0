import Logging
import PostgresSupport
import StorageSupport

/// Durable storage of orders, their payment jobs and idempotency keys. One implementation per
/// database (`SQLiteOrderStore`, `PostgresOrderStore`); nothing here names a dialect.
///
/// Rules every implementation keeps:
/// - `create` writes the order, its items, its charge job and its idempotency key in one
///   transaction, and returns only once that transaction is durable.
/// - `write` is one conditional write: the transition applies only while the order is still in
///   the expected state, and its job effects commit with it or not at all.
/// - `claimDueJobs` and `claimDueDeliveries` hand a due job or delivery to one caller at a time
///   (a lease), so no two dispatchers or schedulers, in one process or in several replicas,
///   work on the same row (PostgreSQL: `FOR UPDATE SKIP LOCKED`). A lease that ends unfinished
///   (its holder crashed) makes the row due again.
/// - Every committed creation and transition appends one entry to the order feed
///   (`order_feed`), numbered in commit order: an entry with a higher `seq` is never visible
///   before one with a lower `seq` that will ever commit. `feedPage` reads it.
/// - `changes(of:)` delivers every committed change of the order after the call returns, made
///   by this process or (PostgreSQL) by any replica: every state the order passes through,
///   in order, with its fields as they were at that transition.
public protocol OrderStore: Sendable {
    /// Creates the order, or returns the existing one for a reused idempotency key with the same
    /// payload. Throws `OrderError.requestIDReused` when the key came with a different payload.
    func create(_ order: NewOrder) async throws -> CreateResult

    /// The order with this id, or nil.
    func order(id: String) async throws -> OrderRecord?

    /// The order with this id if the store holds it in memory (current: the cache follows
    /// every committed write), else nil, without waiting: GetOrder's answer without a task.
    func cachedOrder(id: String) -> OrderRecord?

    /// One page of orders, newest first.
    func list(_ query: OrderListQuery) async throws -> OrderPage

    /// Applies a conditional transition and its job effects in one transaction.
    func write(_ write: OrderWrite) async throws -> OrderWrite.Outcome

    /// Leases up to `limit` jobs whose next attempt is due at `now`: they are not handed out
    /// again before `leaseUntil` unless rescheduled.
    func claimDueJobs(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [PaymentJob]

    /// Sets a job's attempt count and its next attempt time (ending its lease).
    func rescheduleJob(orderID: String, kind: PaymentJob.Kind, attempts: Int, nextAttemptAt: Int64) async throws

    /// The earliest next-attempt time of any job, or nil when there is none.
    func earliestJobDue() async throws -> Int64?

    /// How many payment jobs wait (charges and refunds), and the earliest next-attempt time
    /// among them: the backlog that `orderhub_payment_jobs_pending` and
    /// `orderhub_payment_job_oldest_age_seconds` report.
    func jobBacklog() async throws -> (count: Int, earliestDue: Int64?)

    /// Ids of confirmed orders whose `deliver_at` is at or before `now`, earliest first.
    func dueDeliveries(now: Int64, limit: Int) async throws -> [String]

    /// Leases up to `limit` confirmed orders whose `deliver_at` is at or before `now` and whose
    /// delivery is not leased to another caller: they are not handed out again before
    /// `leaseUntil`. Ids, earliest `deliver_at` first.
    func claimDueDeliveries(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [String]

    /// When the next delivery may be claimed: the earliest `deliver_at` (or, while its
    /// delivery is leased, lease end) of a confirmed order, or nil.
    func earliestDelivery() async throws -> Int64?

    /// Deletes idempotency keys created before `cutoff`; returns how many.
    func purgeIdempotencyKeys(createdBefore cutoff: Int64) async throws -> Int

    /// Deletes order change-log entries (`order_events`) and order feed entries written before
    /// `cutoff`; returns how many. The feed loses a prefix (up to the newest old entry), and
    /// remembers its end as `OrderFeedPage.prunedThrough`.
    func purgeOrderEvents(before cutoff: Int64) async throws -> Int

    /// One page of the order feed with the feed's bounds, read in one snapshot.
    func feedPage(_ query: OrderFeedQuery) async throws -> OrderFeedPage

    /// Signalled after every commit that may have appended to the feed: this process's, and
    /// (PostgreSQL) any replica's, through NOTIFY. One waiter: the feed's tail.
    var feedCommits: WakeSignal { get }

    /// Every change of the order committed after this call returns, in version order, each
    /// version once, until the stream is dropped.
    func changes(of orderID: String) -> AsyncStream<OrderChange>

    /// Finishes queued writes and closes the database.
    func close() async throws
}

extension OrderStore {
    /// A store without a cache of current orders never answers from memory.
    public func cachedOrder(id: String) -> OrderRecord? { nil }
}

/// What `OrderStore.create` returns.
public struct CreateResult: Sendable, Hashable {
    /// The order: new, or the one first created with the same idempotency key.
    public var order: OrderRecord
    /// False when an earlier request with the same key and payload created it.
    public var isNew: Bool

    public init(order: OrderRecord, isNew: Bool) {
        self.order = order
        self.isNew = isNew
    }
}

/// Opens the Orders store a `--db` value names.
public enum OrderStoreFactory {
    /// SQLite for `sqlite:PATH` (one process owns the file), PostgreSQL for `postgres://…`
    /// (any number of replicas share the database). The schema is migrated on open; a
    /// PostgreSQL server is waited for up to `connectTimeout` (`PostgresUnreachableError`).
    /// `orderCacheSize` bounds the SQLite store's in-memory orders; PostgreSQL keeps none, since
    /// other replicas change the rows.
    public static func open(
        _ location: StoreLocation, connectTimeout: Duration = .seconds(30), orderCacheSize: Int = SQLiteOrderStore.defaultOrderCacheSize,
        logger: Logger
    ) async throws -> any OrderStore {
        switch location {
        case .sqlite(let path): return try await SQLiteOrderStore.open(path: path, orderCacheSize: orderCacheSize, logger: logger)
        case .postgres(let url):
            var config = PostgresOrderStore.Config.defaults
            config.storage.connectTimeout = connectTimeout
            return try await PostgresOrderStore.open(url: url, config: config, logger: logger)
        }
    }
}
