import Logging
import Synchronization

/// Purges idempotency keys older than the retention, periodically.
final class IdempotencySweeper: Sendable {
    private let store: any OrderStore
    private let retention: Duration
    private let interval: Duration
    private let clock: WallClock
    private let logger: Logger
    private let loop = Mutex<Task<Void, Never>?>(nil)

    init(store: any OrderStore, retention: Duration, interval: Duration, clock: WallClock, logger: Logger) {
        self.store = store
        self.retention = retention
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    func start() {
        loop.withLock { loop in
            guard loop == nil else { return }
            loop = Task { await self.run() }
        }
    }

    func shutdown() async {
        let task = loop.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    private func run() async {
        while !Task.isCancelled {
            do {
                let purged = try await store.purgeIdempotencyKeys(createdBefore: clock.now() - retention.millis)
                if purged > 0 { logger.info("purged expired idempotency keys", metadata: ["count": "\(purged)"]) }
            } catch {
                logger.error("idempotency key sweep failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
