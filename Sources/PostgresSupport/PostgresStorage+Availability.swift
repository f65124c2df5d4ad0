import PostgresNIO
import StorageSupport
import Synchronization

extension PostgresStorage {
    /// Runs `body` on a pooled connection, but gives up waiting for the pool to hand one out
    /// once the server looks unreachable. While the server restarts or is away the pool keeps
    /// requests queued with no limit of their own: without this bound a call would hang until
    /// its client's deadline, and a background loop (which has no deadline) for good.
    ///
    /// A wait of `leaseTimeout` alone does not prove the server away: under load, or while
    /// the first connections are being made, leases take long while statements still succeed.
    /// So a lease gives up only after waiting at least `leaseTimeout` with no statement of this
    /// storage succeeding in the last two `leaseTimeout`s, and never before the first success
    /// (opening waits for the server as before). Giving up throws `StorageError.unavailable`,
    /// which the services answer with UNAVAILABLE (as they do a lost connection).
    func leased<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let started = LeaseFlag()
        let client = self.client
        let leaseTimeout = self.leaseTimeout
        let lastSuccess = self.lastSuccess
        return try await withThrowingTaskGroup(of: LeaseOutcome<T>.self) { group in
            group.addTask {
                let value = try await client.withConnection { connection in
                    started.value.store(true, ordering: .sequentiallyConsistent)
                    return try await body(connection)
                }
                lastSuccess.record()
                return .finished(value)
            }
            group.addTask {
                try await Task.sleep(for: leaseTimeout)
                // Re-checked every half timeout while statements keep succeeding.
                while !started.value.load(ordering: .sequentiallyConsistent), !lastSuccess.isStale(window: leaseTimeout * 2) {
                    try await Task.sleep(for: leaseTimeout / 2)
                }
                return .leaseTimerFired
            }
            while let outcome = try await group.next() {
                switch outcome {
                case .finished(let value):
                    group.cancelAll()
                    return value
                case .leaseTimerFired where !started.value.load(ordering: .sequentiallyConsistent):
                    group.cancelAll()
                    throw StorageError.unavailable("no database connection within \(leaseTimeout) and no statement succeeded since")
                case .leaseTimerFired:
                    continue
                }
            }
            throw CancellationError()
        }
    }
}

/// When a statement of one storage last succeeded (uptime nanoseconds; 0 before the first).
final class LastSuccess: Sendable {
    private let nanoseconds = Atomic<UInt64>(0)

    func record() {
        nanoseconds.store(Self.now, ordering: .relaxed)
    }

    /// Whether a statement succeeded once, but none within `window`.
    func isStale(window: Duration) -> Bool {
        let last = nanoseconds.load(ordering: .relaxed)
        guard last != 0 else { return false }
        let windowNanoseconds = UInt64(window.components.seconds) * 1_000_000_000 + UInt64(window.components.attoseconds / 1_000_000_000)
        return Self.now &- last > windowNanoseconds
    }

    private static let origin = ContinuousClock.now

    /// Nanoseconds since `origin`, plus one so that a reading is never the "never" 0.
    private static var now: UInt64 {
        let elapsed = origin.duration(to: .now).components
        return UInt64(elapsed.seconds) * 1_000_000_000 + UInt64(elapsed.attoseconds / 1_000_000_000) + 1
    }
}

/// Set once `leased` holds a connection (a class: an `Atomic` cannot be captured itself).
private final class LeaseFlag: Sendable {
    let value = Atomic<Bool>(false)
}

/// What finished first in `leased`: the work, or the lease timer.
private enum LeaseOutcome<T: Sendable>: Sendable {
    case finished(T)
    case leaseTimerFired
}
