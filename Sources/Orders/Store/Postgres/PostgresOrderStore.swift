import Logging
import PostgresNIO
import PostgresSupport
import StorageSupport

/// The Orders store on PostgreSQL, for several Orders replicas sharing one database: creates
/// and transitions through group-commit writers, every transition one conditional UPDATE that
/// also appends to `order_events` and NOTIFYs the order's id, job and delivery claims with
/// `FOR UPDATE SKIP LOCKED`, the order feed appended in commit order (`PostgresFeedAppend`),
/// and a LISTEN connection from which `OrderEventFeed` hands every
/// change any replica commits to this process's watchers.
public final class PostgresOrderStore: OrderStore {
    /// Tuning knobs.
    public struct Config: Sendable {
        /// Pool size, schema, application name.
        public var storage: PostgresStorage.Config
        /// Most creates (or transitions) committed in one transaction.
        public var maxCreateBatch: Int
        /// Most create (and, separately, transition) transactions in flight at once (see
        /// `bench/results/scale-*` for the measurements behind the default).
        public var concurrentCreateBatches: Int
        /// Heartbeat and reconnect pacing of the LISTEN connection.
        public var listener: PostgresNotificationListener.Config

        public init(
            storage: PostgresStorage.Config = .defaults, maxCreateBatch: Int = 256, concurrentCreateBatches: Int = 2,
            listener: PostgresNotificationListener.Config = .defaults
        ) {
            self.storage = storage
            self.maxCreateBatch = maxCreateBatch
            self.concurrentCreateBatches = concurrentCreateBatches
            self.listener = listener
        }

        /// The defaults.
        public static var defaults: Config { Config() }
    }

    let storage: PostgresStorage
    let logger: Logger
    /// The NOTIFY channel: one per schema, so services or test runs sharing a database do not
    /// hear each other.
    let channel: String
    let broadcaster: OrderChangeBroadcaster
    /// See `OrderStore`: signalled after this replica's commits and on every NOTIFY.
    public let feedCommits = WakeSignal()
    private let creates: PostgresBatchWriter<PostgresOrderCreateBatch>
    let writes: PostgresBatchWriter<PostgresOrderWriteBatch>
    private let listener: PostgresNotificationListener

    private init(storage: PostgresStorage, config: Config, logger: Logger) {
        let channel = String("orderhub_orders_\(storage.schema)".prefix(63))
        let broadcaster = OrderChangeBroadcaster()
        self.storage = storage
        self.logger = logger
        self.channel = channel
        self.broadcaster = broadcaster
        self.creates = PostgresBatchWriter(
            storage: storage, executor: PostgresOrderCreateBatch(channel: channel, feedCommits: feedCommits),
            config: .init(maxBatchSize: config.maxCreateBatch, concurrentBatches: config.concurrentCreateBatches), logger: logger
        )
        let feed = OrderEventFeed(storage: storage, broadcaster: broadcaster, logger: logger)
        self.writes = PostgresBatchWriter(
            storage: storage, executor: PostgresOrderWriteBatch(channel: channel, feed: feed, feedCommits: feedCommits),
            config: .init(maxBatchSize: config.maxCreateBatch, concurrentBatches: config.concurrentCreateBatches), logger: logger
        )
        self.listener = PostgresNotificationListener(
            storage: storage, channel: channel, config: config.listener, logger: logger,
            onListening: { [feedCommits] in
                feedCommits.signal()
                await feed.catchUpWatched()
            },
            onNotification: { [feedCommits] orderID in
                // An empty payload is the feed's own notification; an order id is also one.
                feedCommits.signal()
                if !orderID.isEmpty { await feed.catchUp(orderID) }
            }
        )
    }

    /// Connects to the database at `url`, migrates it, and starts listening for changes.
    public static func open(url: PostgresURL, config: Config = .defaults, logger: Logger) async throws -> PostgresOrderStore {
        let storage = try await PostgresStorage.open(url: url, migrations: OrderSchema.postgresMigrations, config: config.storage, logger: logger)
        let store = PostgresOrderStore(storage: storage, config: config, logger: logger)
        store.listener.start()
        return store
    }

    /// How many times the change listener has (re)connected; for tests and metrics.
    public var listenerConnectCount: Int { listener.connectCount }

    /// See `OrderStore`: queued for the group-commit writer.
    public func create(_ order: NewOrder) async throws -> CreateResult {
        try await creates.submit(order)
    }

    /// See `OrderStore`: changes committed here and, through LISTEN, by any replica.
    public func changes(of orderID: String) -> AsyncStream<OrderChange> {
        broadcaster.subscribe(to: orderID)
    }

    /// See `OrderStore`: stops listening, finishes queued creates, closes the pool.
    public func close() async throws {
        await listener.shutdown()
        await creates.close()
        await writes.close()
        await storage.close()
    }
}
