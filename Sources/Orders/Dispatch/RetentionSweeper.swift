import Logging
import Synchronization

/// Purges, periodically, idempotency keys and order events older than their retentions.
/// Runs as a task of its own (`start`, `shutdown`) or in the caller's (`run`).
public final class RetentionSweeper: Sendable {
    private let store: any OrderStore
    private let keyRetention: Duration
    private let eventRetention: Duration
    private let interval: Duration
    private let clock: WallClock
    private let logger: Logger
    private let loop = LoopTask()

    init(store: any OrderStore, keyRetention: Duration, eventRetention: Duration, interval: Duration, clock: WallClock, logger: Logger) {
        self.store = store
        self.keyRetention = keyRetention
        self.eventRetention = eventRetention
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    func start() {
        loop.start { await self.run() }
    }

    func shutdown() async {
        await loop.stop()
    }

    /// Sweeps until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            do {
                let purged = try await store.purgeIdempotencyKeys(createdBefore: clock.now() - keyRetention.millis)
                if purged > 0 { logger.info("purged expired idempotency keys", metadata: ["count": "\(purged)"]) }
            } catch {
                logger.error("idempotency key sweep failed", metadata: ["error": "\(error)"])
            }
            do {
                let purged = try await store.purgeOrderEvents(before: clock.now() - eventRetention.millis)
                if purged > 0 { logger.debug("purged old order events", metadata: ["count": "\(purged)"]) }
            } catch {
                logger.error("order event sweep failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}

/// The task of a loop that runs on its own (`start`) until told to stop, for the types that
/// can also run theirs in the caller's task (`run()`, as a `Service` does).
final class LoopTask: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Runs `body` in a new task; does nothing when one was started before.
    func start(_ body: @escaping @Sendable () async -> Void) {
        task.withLock { task in
            guard task == nil else { return }
            task = Task { await body() }
        }
    }

    /// Cancels the task and waits until `body` has returned; nothing when never started.
    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
    }
}
