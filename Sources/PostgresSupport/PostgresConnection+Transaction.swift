import Logging
import PostgresNIO

extension PostgresConnection {
    /// BEGIN, `body`, COMMIT; ROLLBACK and rethrow `body`'s own error when it throws.
    /// (`withTransaction` wraps every error in `PostgresTransactionError`; the stores need
    /// their domain errors, e.g. a reused idempotency key, to come back as they were thrown.)
    func transaction<T: Sendable>(logger: Logger, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await query("BEGIN", logger: logger)
        let value: T
        do {
            value = try await body(self)
        } catch {
            // A broken connection cannot roll back, and then has nothing to roll back either.
            _ = try? await query("ROLLBACK", logger: logger)
            throw error
        }
        try await query("COMMIT", logger: logger)
        return value
    }

    /// Runs one statement and returns its rows.
    public func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}
