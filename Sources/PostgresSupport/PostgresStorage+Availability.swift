import PostgresNIO
import StorageSupport
import Synchronization

extension PostgresStorage {
    /// Runs `body` on a pooled connection, giving up with `StorageError.unavailable` in two
    /// cases where PostgresNIO alone would wait for ever.
    ///
    /// The wait for a connection: while the server restarts or is away the pool keeps requests
    /// queued with no limit of their own, so a call would hang until its client's deadline, and
    /// a background loop (which has no deadline) for good. A wait of `leaseTimeout` alone does
    /// not prove the server away: under load, or while the first connections are being made,
    /// leases take long while statements still succeed. So a lease gives up only after waiting
    /// at least `leaseTimeout` with no statement of this storage succeeding within the last
    /// `leaseTimeout`, and never before the first success (opening waits for the server). A
    /// call that arrives as the server goes away fails after about one `leaseTimeout`, and one
    /// queued behind it after about one more: both inside a client deadline of a few seconds.
    ///
    /// A statement on a connection that has closed: PostgresNIO fails the statements in flight
    /// when a connection closes, but one it writes after the channel has closed (the pool
    /// handed the connection out just as the server ended the session, as it does when it
    /// restarts) is never answered. Once the connection is seen closed, `body` gets a quarter
    /// `leaseTimeout` more to finish; then it is left behind, suspended, and the call fails. A slow
    /// statement on a live connection is never cut short.
    ///
    /// The services answer `StorageError.unavailable` with UNAVAILABLE (as a lost connection).
    ///
    /// One watchdog per storage (`PostgresLeaseWatchdog`) looks at every open lease each quarter
    /// `leaseTimeout`; each call runs its statement in a task of its own, since a statement
    /// PostgresNIO never answers must not hold the caller.
    func leased<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let lease = PostgresLease<T>()
        let lastSuccess = self.lastSuccess
        let id = watchdog.watch(lease)
        defer { watchdog.release(id) }
        let work = Task { [client] in
            do {
                let value = try await client.withConnection { connection in
                    // A lease given up already: its caller has its answer, so nothing runs.
                    guard lease.connected(connection) else { throw CancellationError() }
                    return try await body(connection)
                }
                lastSuccess.record()
                lease.finish(.success(value))
            } catch {
                lease.finish(.failure(error))
            }
        }
        lease.started(work)
        return try await withTaskCancellationHandler {
            try await lease.outcome()
        } onCancel: {
            work.cancel()
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
