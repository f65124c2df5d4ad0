import Logging
import PostgresNIO
import StorageSupport

/// Start-up's wait for the database server: a process started before its database (a pod
/// next to a PostgreSQL that is still starting, a server restarting) retries instead of
/// failing at once, and a server that never comes makes it fail with a clear message
/// instead of hanging.
enum PostgresServerWait {
    /// First wait between attempts; doubles up to `maxDelay`.
    static let firstDelay = Duration.milliseconds(200)
    static let maxDelay = Duration.seconds(5)

    /// Returns once one connection to `url` opens (and closes it again); logs each failed
    /// attempt; throws `PostgresUnreachableError` when none opened within `timeout`.
    static func untilReachable(_ url: PostgresURL, timeout: Duration, logger: Logger) async throws {
        let configuration = try url.connectionConfiguration()
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var delay = firstDelay
        var attempts = 0
        var lastReason: String?
        while true {
            attempts += 1
            let failure: any Error
            do {
                let connection = try await connect(configuration, id: attempts, before: deadline, clock: clock, logger: logger)
                try? await connection.close()
                if attempts > 1 { logger.info("PostgreSQL is reachable", metadata: ["server": "\(url.server)", "attempts": "\(attempts)"]) }
                return
            } catch {
                try Task.checkCancellation()
                failure = error
            }
            let remaining = deadline - clock.now
            // An attempt cut short by the deadline says less than the one before it.
            let reason = failure is StartupTimeout ? lastReason ?? Self.reason(failure) : Self.reason(failure)
            lastReason = reason
            guard remaining > .zero else {
                logger.error("PostgreSQL is unreachable; giving up", metadata: ["server": "\(url.server)", "attempt": "\(attempts)", "error": "\(reason)"])
                throw PostgresUnreachableError(server: url.server, timeout: timeout, attempts: attempts, lastError: reason)
            }
            let wait = min(delay, remaining)
            logger.warning(
                "PostgreSQL is unreachable; retrying",
                metadata: [
                    "server": "\(url.server)", "attempt": "\(attempts)", "retry-in-ms": "\(Self.milliseconds(wait))", "error": "\(reason)",
                ])
            try await Task.sleep(for: wait)
            delay = min(delay * 2, maxDelay)
        }
    }

    /// One connection attempt, abandoned at `deadline` (a silent network can hold a connect
    /// much longer).
    private static func connect(
        _ configuration: PostgresConnection.Configuration, id: Int, before deadline: ContinuousClock.Instant,
        clock: ContinuousClock, logger: Logger
    ) async throws -> PostgresConnection {
        try await withThrowingTaskGroup(of: PostgresConnection?.self) { group in
            group.addTask { try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger) }
            group.addTask {
                try await Task.sleep(until: deadline, clock: clock)
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            // A connect that completed while the deadline fired is closed, not leaked.
            while let late = try? await group.next() { try? await late?.close() }
            guard let connection = first else { throw StartupTimeout() }
            return connection
        }
    }

    /// The attempt ran into the start-up deadline.
    struct StartupTimeout: Error, CustomStringConvertible {
        var description: String { "no answer before the start-up deadline" }
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    /// What went wrong, for the log: PostgresNIO's own errors hide their details from
    /// `description` (they may quote queries); these carry no password.
    private static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return String(describing: underlying) }
            return "\(error.code)"
        }
        return String(describing: error)
    }
}

/// The database server did not accept a connection within the startup timeout.
public struct PostgresUnreachableError: Error, Sendable, CustomStringConvertible {
    /// `host:port` of the server (never the password).
    public var server: String
    /// How long connecting was tried.
    public var timeout: Duration
    /// How many connection attempts failed.
    public var attempts: Int
    /// The last attempt's failure.
    public var lastError: String

    /// A sentence for the user, naming the server.
    public var description: String {
        "PostgreSQL at \(server) did not accept a connection within \(timeout) (\(attempts) attempts); last error: \(lastError)"
    }
}
