import PostgresNIO
import StorageSupport
import Synchronization

/// What the watchdog needs of one lease, whatever its result type.
protocol WatchedLease: AnyObject, Sendable {
    /// The connection the statement runs on, or nil while the lease waits for one.
    var connection: PostgresConnection? { get }
    /// Ends the lease with `error` and stops its work.
    func giveUp(_ error: StorageError)
}

/// The one watch over every lease of a `PostgresStorage` (see `PostgresStorage.leased` for
/// what it gives up on and why): a loop that looks at the open leases every quarter
/// `leaseTimeout`, so a statement costs a dictionary insert and removal instead of a timer task
/// of its own.
final class PostgresLeaseWatchdog: Sendable {
    private struct Watched {
        let lease: any WatchedLease
        let since: ContinuousClock.Instant
        /// A look found its connection closed; the next one gives up.
        var closedSeen = false
    }

    private struct State {
        var leases: [UInt64: Watched] = [:]
        var nextID: UInt64 = 0
    }

    let leaseTimeout: Duration
    let lastSuccess: LastSuccess
    private let state = Mutex(State())

    init(leaseTimeout: Duration, lastSuccess: LastSuccess) {
        self.leaseTimeout = leaseTimeout
        self.lastSuccess = lastSuccess
    }

    /// Watches `lease` from now until `release`.
    func watch(_ lease: any WatchedLease) -> UInt64 {
        let now = ContinuousClock.now
        return state.withLock { state in
            state.nextID += 1
            state.leases[state.nextID] = Watched(lease: lease, since: now)
            return state.nextID
        }
    }

    func release(_ id: UInt64) {
        _ = state.withLock { $0.leases.removeValue(forKey: id) }
    }

    /// Looks every quarter `leaseTimeout` until cancelled.
    func run() async {
        while (try? await Task.sleep(for: leaseTimeout / 4)) != nil {
            look(now: .now)
        }
    }

    /// One look at every lease; gives up on those past hope (outside the lock).
    func look(now: ContinuousClock.Instant) {
        let stale = lastSuccess.isStale(window: leaseTimeout)
        let doomed = state.withLock { state -> [(any WatchedLease, StorageError)] in
            var doomed: [(any WatchedLease, StorageError)] = []
            for (id, watched) in state.leases {
                if let connection = watched.lease.connection {
                    // One look of grace: a statement in flight when the connection closed has
                    // been failed already, and its task may just not have run yet.
                    guard connection.isClosed else { continue }
                    if watched.closedSeen {
                        state.leases[id] = nil
                        doomed.append((watched.lease, .unavailable("the database connection closed and its statement was not answered")))
                    } else {
                        state.leases[id]?.closedSeen = true
                    }
                } else if stale, now - watched.since >= leaseTimeout {
                    state.leases[id] = nil
                    doomed.append((watched.lease, .unavailable("no database connection within \(leaseTimeout) and no statement succeeded since")))
                }
            }
            return doomed
        }
        for (lease, error) in doomed { lease.giveUp(error) }
    }
}
