import Logging
import RPC
import Tracing

/// The Orders domain in one object: create, read, cancel, list and watch orders, with the
/// payment dispatcher, the delivery scheduler and the retention sweep running behind.
/// The gRPC handler maps protos to these calls and errors through `RPCError.orders(_:)`.
public final class OrderSystem: Sendable {
    /// Behaviour settings: payment timeout, delivery delay, retention and sweeps, and the
    /// dispatcher's and the delivery scheduler's knobs.
    public struct Config: Sendable {
        /// After this long without a payment result, the order is cancelled (PAYMENT_TIMEOUT).
        public var paymentTimeout: Duration
        /// Confirmed orders are delivered this long after confirmation.
        public var deliveryDelay: Duration
        /// Idempotency keys are kept at least this long.
        public var idempotencyRetention: Duration
        /// Entries of the order feed (`order_feed`, what WatchOrders resumes from) and of the
        /// order change log (`order_events`, what watchers on other replicas read) are kept at
        /// least this long: a feed cursor older than this is OUT_OF_RANGE.
        public var orderEventRetention: Duration
        /// How often expired idempotency keys and order events are purged.
        public var sweepInterval: Duration
        public var dispatcher: PaymentDispatcher.Config
        public var delivery: DeliveryScheduler.Config
        /// The order feed's per-stream buffer and paging.
        public var feed: OrderFeed.Config = .defaults

        public init(
            paymentTimeout: Duration = .seconds(60), deliveryDelay: Duration = .seconds(5),
            idempotencyRetention: Duration = .seconds(24 * 3600), orderEventRetention: Duration = .seconds(24 * 3600),
            sweepInterval: Duration = .seconds(3600), dispatcher: PaymentDispatcher.Config = .defaults, delivery: DeliveryScheduler.Config = .defaults
        ) {
            self.paymentTimeout = paymentTimeout
            self.deliveryDelay = deliveryDelay
            self.idempotencyRetention = idempotencyRetention
            self.orderEventRetention = orderEventRetention
            self.sweepInterval = sweepInterval
            self.dispatcher = dispatcher
            self.delivery = delivery
        }

        public static var defaults: Config { Config() }
    }

    /// ListOrders page sizes.
    public static let defaultPageSize = 20
    public static let maxPageSize = 100

    public let store: any OrderStore
    public let dispatcher: PaymentDispatcher
    public let delivery: DeliveryScheduler
    let config: Config
    let clock: WallClock
    let logger: Logger
    public let sweeper: RetentionSweeper
    let watches = WatchRegistry()
    /// The order feed's live tail (WatchOrders).
    public let feed: OrderFeed
    /// The tracer bootstrapped when this was made; nil without one (see `bootstrappedTracer`).
    let tracer: (any Tracer)?

    public init(store: any OrderStore, gateway: any PaymentGateway, config: Config = .defaults, clock: WallClock = .system, logger: Logger) {
        let delivery = DeliveryScheduler(store: store, config: config.delivery, clock: clock, logger: logger)
        let tracer = Self.bootstrappedTracer()
        self.store = store
        self.delivery = delivery
        self.dispatcher = PaymentDispatcher(
            store: store, gateway: gateway, config: config.dispatcher, deliveryDelay: config.deliveryDelay, clock: clock,
            logger: logger, tracer: tracer, onConfirmed: { delivery.noteDelivery(at: $0) }
        )
        self.sweeper = RetentionSweeper(
            store: store, keyRetention: config.idempotencyRetention, eventRetention: config.orderEventRetention,
            interval: config.sweepInterval, clock: clock, logger: logger
        )
        self.feed = OrderFeed(store: store, config: config.feed, logger: logger)
        self.config = config
        self.clock = clock
        self.logger = logger
        self.tracer = tracer
        OrderMetrics.register()
    }

    /// The process's tracer, read once: nil when none was bootstrapped. Without one the storage
    /// commit and payment attempts make no span at all, since even a span on the no-op tracer
    /// costs a locked lookup of the global tracer and its attribute writes on every order.
    /// A process bootstraps its tracer before it builds the order system.
    private static func bootstrappedTracer() -> (any Tracer)? {
        let tracer = InstrumentationSystem.tracer
        return tracer is NoOpTracer ? nil : tracer
    }

    /// Starts the background work: every pending payment job resumes, due deliveries happen.
    /// (A process runs `dispatcher`, `delivery` and `sweeper` as services of its own instead.)
    public func start() {
        dispatcher.start()
        delivery.start()
        sweeper.start()
    }

    /// Ends every WatchOrder stream (with UNAVAILABLE) and refuses new ones: call before
    /// draining the server, so open watches do not hold the drain for its whole grace period.
    public func endWatches() {
        watches.close()
        feed.close()
    }

    /// Reads the payment job backlog into its gauges; throws when the database cannot answer
    /// (readiness uses this as its database check).
    public func refreshBacklog() async throws {
        let backlog = try await store.jobBacklog()
        OrderMetrics.jobsPending.record(backlog.count)
        let overdue = backlog.earliestDue.map { max(0, clock.now() - $0) } ?? 0
        OrderMetrics.oldestJobAge.record(Double(overdue) / 1000)
    }

    /// Open WatchOrder streams.
    public var watchStreamCount: Int { watches.count }

    /// Stops the background work, waiting for attempts in flight. Does not close the store.
    public func shutdown() async {
        feed.close()
        await sweeper.shutdown()
        await delivery.shutdown()
        await dispatcher.shutdown()
    }
}
