import PostgresNIO
import PostgresSupport

extension PostgresOrderStore {
    /// See `OrderStore`: queued for the transition writer, which commits many writes per
    /// transaction.
    public func write(_ write: OrderWrite) async throws -> OrderWrite.Outcome {
        try await writes.submit(write)
    }

    /// See `OrderStore`.
    public func purgeIdempotencyKeys(createdBefore cutoff: Int64) async throws -> Int {
        let rows = try await storage.rows("""
            WITH gone AS (DELETE FROM idempotency_keys WHERE created_at < \(cutoff) RETURNING 1)
            SELECT COUNT(*)::BIGINT AS count FROM gone
            """)
        return Int(try rows.first?.makeRandomAccess().int64("count") ?? 0)
    }

    /// See `OrderStore`.
    public func purgeOrderEvents(before cutoff: Int64) async throws -> Int {
        let rows = try await storage.rows("""
            WITH gone AS (DELETE FROM order_events WHERE updated_at < \(cutoff) RETURNING 1)
            SELECT COUNT(*)::BIGINT AS count FROM gone
            """)
        return Int(try rows.first?.makeRandomAccess().int64("count") ?? 0) + (try await purgeFeed(before: cutoff))
    }
}
