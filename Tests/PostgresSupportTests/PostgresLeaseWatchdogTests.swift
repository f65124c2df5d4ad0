import PostgresNIO
import StorageSupport
import Synchronization
import Testing

@testable import PostgresSupport

/// When the storage's one watchdog gives up on a lease still waiting for a connection (the
/// closed-connection case needs a real server: the fault scenarios cover it).
@Suite struct PostgresLeaseWatchdogTests {
    /// A lease that waits for a connection for ever and records being given up.
    final class WaitingLease: WatchedLease {
        private let reason = Mutex<StorageError?>(nil)
        var connection: PostgresConnection? { nil }
        var givenUp: StorageError? { reason.withLock { $0 } }

        func giveUp(_ error: StorageError) {
            reason.withLock { $0 = error }
        }
    }

    @Test func neverGivesUpBeforeTheFirstSuccess() {
        let watchdog = PostgresLeaseWatchdog(leaseTimeout: .milliseconds(100), lastSuccess: LastSuccess())
        let lease = WaitingLease()
        let id = watchdog.watch(lease)
        watchdog.look(now: .now + .seconds(60))
        #expect(lease.givenUp == nil, "opening waits for the server; nothing tells a slow start from an outage")
        watchdog.release(id)
    }

    @Test func givesUpAfterOneLeaseTimeoutWithoutASuccess() async throws {
        let lastSuccess = LastSuccess()
        lastSuccess.record()
        let watchdog = PostgresLeaseWatchdog(leaseTimeout: .milliseconds(100), lastSuccess: lastSuccess)
        // The last success is older than one leaseTimeout from here on.
        try await Task.sleep(for: .milliseconds(250))
        let before = ContinuousClock.now
        let lease = WaitingLease()
        _ = watchdog.watch(lease)
        watchdog.look(now: before)
        #expect(lease.givenUp == nil, "a lease gets one leaseTimeout to find a connection")
        watchdog.look(now: before + .milliseconds(200))
        guard case .unavailable(let detail)? = lease.givenUp else {
            Issue.record("expected unavailable, got \(String(describing: lease.givenUp))")
            return
        }
        #expect(detail.contains("no database connection"))
    }

    @Test func recentSuccessKeepsALeaseWaiting() {
        let lastSuccess = LastSuccess()
        lastSuccess.record()
        // A busy pool, not an outage: a statement succeeded within the last leaseTimeout.
        let watchdog = PostgresLeaseWatchdog(leaseTimeout: .seconds(60), lastSuccess: lastSuccess)
        let lease = WaitingLease()
        let id = watchdog.watch(lease)
        watchdog.look(now: .now + .seconds(120))
        #expect(lease.givenUp == nil)
        watchdog.release(id)
    }
}
