import Logging
import Synchronization

/// Delivers confirmed orders when their `deliver_at` passes: sleeps until the earliest one
/// (woken early when a nearer one is confirmed), then moves each due order from confirmed to
/// delivered with one conditional write. `deliver_at` is a row, so a restart loses no
/// delivery; the conditional write makes each happen once.
public final class DeliveryScheduler: Sendable {
    /// Tuning knobs.
    public struct Config: Sendable {
        /// Longest sleep between looks at the table.
        public var pollInterval: Duration
        /// Most deliveries written per round (they share one transaction).
        public var batchSize: Int

        public init(pollInterval: Duration = .seconds(1), batchSize: Int = 256) {
            self.pollInterval = pollInterval
            self.batchSize = batchSize
        }

        public static var defaults: Config { Config() }
    }

    private let store: any OrderStore
    private let config: Config
    private let clock: WallClock
    private let logger: Logger
    private let wake = WakeSignal()
    private let loop = Mutex<Task<Void, Never>?>(nil)
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
        loop.withLock { loop in
            guard loop == nil else { return }
            loop = Task { await self.run() }
        }
    }

    /// An order was confirmed to be delivered at `deliverAt`: wake up early if that is sooner
    /// than the planned wake-up.
    public func noteDelivery(at deliverAt: Int64) {
        if deliverAt < plannedWake.load(ordering: .relaxed) { wake.signal() }
    }

    /// Stops the loop; a delivery being written finishes first.
    public func shutdown() async {
        let task = loop.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    private func run() async {
        while !Task.isCancelled {
            do {
                let due = try await store.dueDeliveries(now: clock.now(), limit: config.batchSize)
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

    /// One conditional write from confirmed to delivered. The order came from the due list,
    /// so it was confirmed with `deliver_at` passed; if it has changed since (a cancel), the
    /// write finds it no longer confirmed and nothing happens.
    private func deliver(_ orderID: String) async {
        var logger = logger
        logger[metadataKey: "order-id"] = "\(orderID)"
        guard case .transition(let change) = OrderLifecycle.outcome(of: .deliveryDue, in: .confirmed) else { return }
        do {
            let write = OrderWrite(orderID: orderID, transition: .init(from: .confirmed, to: change.to), now: clock.now())
            if case .applied = try await store.write(write) { logger.info("order delivered") }
        } catch {
            logger.error("delivery failed; retrying later", metadata: ["error": "\(error)"])
        }
    }
}
