import PostgresNIO
import StorageSupport
import StoreTestSupport
import Synchronization
import Testing
@testable import PostgresSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("PostgreSQL failures as storage errors")
struct PostgresErrorTranslationTests {
    /// What the pool throws when it cannot make a connection (its circuit breaker, a refused
    /// connect) is no `PSQLError`: the server is unreachable.
    @Test func aFailureOfThePoolIsUnavailable() {
        struct ConnectRefused: Error {}
        guard case StorageError.unavailable? = PostgresStorage.translated(ConnectRefused()) as? StorageError else {
            Issue.record("not translated to unavailable")
            return
        }
        #expect(PostgresStorage.translated(StorageError.closed) as? StorageError == .closed)
        #expect(PostgresStorage.translated(CancellationError()) is CancellationError)
    }

    /// The server ending a session mid-query (a restart, an operator's pg_terminate_backend)
    /// is a storage error the services answer with UNAVAILABLE, not an internal error; the
    /// pool then serves the next query on a new connection.
    @Test(.enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipReason)))
    func aConnectionTheServerEndsIsUnavailable() async throws {
        try await PostgresTestDatabase.withFreshSchema { url in
            let name = "orderhub-killed-" + UUID().uuidString.prefix(8).lowercased()
            let storage = try await PostgresStorage.open(
                url: url, migrations: [], config: .init(maxConnections: 2, applicationName: name), logger: PostgresTestDatabase.logger
            )
            let sleeper = Task { _ = try await storage.rows("SELECT pg_sleep(60)") }
            var terminated = false
            try await PostgresTestDatabase.withAdmin { admin in
                // Bounded poll: the query reaches the server soon after the task starts.
                for _ in 0..<400 where !terminated {
                    terminated = try await !admin.rows(
                        """
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE application_name = \(name) AND query LIKE 'SELECT pg_sleep%'
                        """
                    ).isEmpty
                    if !terminated { try await Task.sleep(for: .milliseconds(25)) }
                }
            }
            #expect(terminated)
            do {
                try await sleeper.value
                Issue.record("the killed query returned")
            } catch StorageError.unavailable {
                // Expected.
            } catch {
                Issue.record("expected StorageError.unavailable, got \(String(reflecting: error))")
            }
            let one = try await storage.rows("SELECT 1::BIGINT AS one").first?.makeRandomAccess().int64("one")
            #expect(one == 1)
            await storage.close()
        }
    }

    /// A statement written on a connection that has closed (the pool hands one out just as the
    /// server, restarting, ends its session) is never answered by PostgresNIO: the call gives
    /// up with unavailable soon after instead of holding its caller for good (it held Orders'
    /// payment-job loop), and the pool serves the next statement on a new connection.
    @Test(.enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipReason)))
    func aStatementOnAClosedConnectionIsUnavailable() async throws {
        try await PostgresTestDatabase.withFreshSchema { url in
            let storage = try await PostgresStorage.open(url: url, migrations: [], config: .init(maxConnections: 2), logger: PostgresTestDatabase.logger)
            let outcome = CallOutcome()
            Task {
                do {
                    try await storage.transaction { connection in
                        try await connection.close()
                        _ = try await connection.query("SELECT 1", logger: PostgresTestDatabase.logger)
                    }
                    outcome.end(nil)
                } catch {
                    outcome.end(error)
                }
            }
            // Bounded poll, far longer than the one-second lease timeout.
            for _ in 0..<600 where !outcome.ended {
                try await Task.sleep(for: .milliseconds(50))
            }
            guard outcome.ended else {
                // The call hangs for good; closing the storage would wait for it too.
                Issue.record("the statement on the closed connection never ended")
                return
            }
            guard case StorageError.unavailable? = outcome.error as? StorageError else {
                Issue.record("expected StorageError.unavailable, got \(String(reflecting: outcome.error))")
                return
            }
            let one = try await storage.rows("SELECT 1::BIGINT AS one").first?.makeRandomAccess().int64("one")
            #expect(one == 1)
            await storage.close()
        }
    }
}

/// How a call running in a task of its own ended, for a test that must not wait on it for ever.
private final class CallOutcome: Sendable {
    private let state = Mutex<(ended: Bool, error: (any Error)?)>((false, nil))

    var ended: Bool { state.withLock { $0.ended } }
    var error: (any Error)? { state.withLock { $0.error } }

    func end(_ error: (any Error)?) {
        state.withLock { $0 = (true, error) }
    }
}
