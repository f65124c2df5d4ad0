import PostgresNIO
import StorageSupport
import Synchronization

extension PostgresStorage {
    /// Runs `body` on a pooled connection, but waits at most `config.leaseTimeout` for the
    /// pool to hand one out. While the server restarts or is unreachable the pool keeps
    /// requests queued with no limit of their own: without this bound a call would hang
    /// until its client's deadline, and a background loop (which has no deadline) for good.
    /// Waiting too long throws `StorageError.unavailable`, which the services answer with
    /// UNAVAILABLE (as they do a lost connection, `StorageError.init(translating:)`).
    func leased<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let started = LeaseFlag()
        let client = self.client
        let leaseTimeout = self.leaseTimeout
        return try await withThrowingTaskGroup(of: LeaseOutcome<T>.self) { group in
            group.addTask {
                .finished(try await client.withConnection { connection in
                    started.value.store(true, ordering: .sequentiallyConsistent)
                    return try await body(connection)
                })
            }
            group.addTask {
                try await Task.sleep(for: leaseTimeout)
                return .leaseTimerFired
            }
            while let outcome = try await group.next() {
                switch outcome {
                case .finished(let value):
                    group.cancelAll()
                    return value
                case .leaseTimerFired where !started.value.load(ordering: .sequentiallyConsistent):
                    group.cancelAll()
                    throw StorageError.unavailable("no database connection within \(leaseTimeout)")
                case .leaseTimerFired:
                    continue
                }
            }
            throw CancellationError()
        }
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
