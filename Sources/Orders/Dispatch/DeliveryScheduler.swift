import Logging
import Synchronization

/// Delivers confirmed orders when their `deliver_at` passes: sleeps until the earliest one
/// (woken early when a nearer one is confirmed), claims the due orders (a lease, so schedulers
/// of other replicas leave them alone), then moves each from confirmed to delivered with one
/// conditional write. `deliver_at` is a row, so a restart loses no delivery; the claim keeps
/// two schedulers off the same order, and the conditional write makes each happen once even
/// when a lease ran out while its holder was still at work.
public final class DeliveryScheduler: Sendable {
    /// Tuning knobs.
    public struct Config: Sendable {
        /// Longest sleep between looks at the table.
        public var pollInterval: Duration
        /// Most deliveries claimed per round.
        public var batchSize: Int
        /// How long a claimed delivery is left to this scheduler; if it has not happened by
        /// then (the process died), any scheduler claims it again.
        public var leaseDuration: Duration

        public init(pollInterval: Duration = .seconds(1), batchSize: Int = 256, leaseDuration: Duration = .seconds(10)) {
            self.pollInterval = pollInterval
            self.batchSize = batchSize
            self.leaseDuration = leaseDuration
        }

        public static var defaults: Config { Config() }
    }

    private let store: any OrderStore
    private let config: Config
    private let clock: WallClock
    private let logger: Logger
    private let wake = WakeSignal()
    private let loop = LoopTask()
    /// When the loop plans to wake next (Unix ms).
    private let plannedWake = Atomic<Int64>(.max)

    public init(store: any OrderStore, config: Config, clock: WallClock, logger: Logger) {
        self.store = store
        self.config = config
        self.clock = clock
        self.logger = logger
    }

    /// Starts delivering, beginning with everything already due.
    public func start() {
        loop.start { await self.run() }
    }

    /// An order was confirmed to be delivered at `deliverAt`: wake up early if that is sooner
    /// than the planned wake-up.
    public func noteDelivery(at deliverAt: Int64) {
        if deliverAt < plannedWake.load(ordering: .relaxed) { wake.signal() }
    }

    /// Stops the loop; a delivery being written finishes first.
    public func shutdown() async {
        await loop.stop()
    }

    /// Delivers until the task is cancelled; a delivery being written finishes first. What
    /// `start` runs in a task of its own, for a caller that runs it in its own (a `Service`).
    public func run() async {
        while !Task.isCancelled {
            do {
                let claimedAt = clock.now()
                let due = try await store.claimDueDeliveries(
                    now: claimedAt, leaseUntil: claimedAt + config.leaseDuration.millis, limit: config.batchSize
                )
                if !due.isEmpty {
                    await withTaskGroup(of: Void.self) { group in
                        for orderID in due { group.addTask { await self.deliver(orderID) } }
                    }
                    if due.count == config.batchSize { continue }
                }
                let now = clock.now()
                let next = try await store.earliestDelivery()
                let wakeAt = min(next ?? .max, now + config.pollInterval.millis)
                plannedWake.store(wakeAt, ordering: .relaxed)
                await wake.wait(timeout: .milliseconds(max(0, wakeAt - now)))
                plannedWake.store(.max, ordering: .relaxed)
            } catch {
                logger.error("delivery loop failed; retrying", metadata: ["error": "\(error)"])
                await wake.wait(timeout: config.pollInterval)
            }
        }
    }

    /// One conditional write from confirmed to delivered. The order came from this scheduler's
    /// claim, so it was confirmed with `deliver_at` passed; if it has changed since (a cancel),
    /// the write finds it no longer confirmed and nothing happens.
    private func deliver(_ orderID: String) async {
        var logger = logger
        logger[metadataKey: "order-id"] = "\(orderID)"
        guard case .transition(let change) = OrderLifecycle.outcome(of: .deliveryDue, in: .confirmed) else { return }
        do {
            let now = clock.now()
            let write = OrderWrite(orderID: orderID, transition: .init(from: .confirmed, to: change.to), now: now)
            if case .applied(let applied) = try await store.write(write) {
                logger.info("order delivered")
                OrderMetrics.transition(from: .confirmed, to: change.to, reason: OrderMetrics.reason(nil, event: .deliveryDue))
                if let deliverAt = applied?.deliverAt { OrderMetrics.deliveryLag.recordMilliseconds(max(0, now - deliverAt)) }
            }
        } catch {
            logger.error("delivery failed; retrying later", metadata: ["error": "\(error)"])
        }
    }
}
