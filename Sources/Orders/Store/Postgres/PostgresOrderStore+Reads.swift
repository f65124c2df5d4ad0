import PostgresNIO
import PostgresSupport

extension PostgresOrderStore {
    /// See `OrderStore`.
    public func order(id: String) async throws -> OrderRecord? {
        try await PostgresOrderReads.order(id: id, in: storage)
    }

    /// See `OrderStore`.
    public func list(_ query: OrderListQuery) async throws -> OrderPage {
        try await PostgresOrderReads.list(query, in: storage)
    }

    /// See `OrderStore`.
    public func earliestJobDue() async throws -> Int64? {
        try await storage.rows("SELECT MIN(next_attempt_at) AS due FROM payment_jobs").first?.makeRandomAccess().optionalInt64("due")
    }

    /// See `OrderStore`.
    public func jobBacklog() async throws -> (count: Int, earliestDue: Int64?) {
        let row = try await storage.rows("SELECT COUNT(*)::bigint AS jobs, MIN(next_attempt_at) AS due FROM payment_jobs").first?.makeRandomAccess()
        return (Int(try row?.optionalInt64("jobs") ?? 0), try row?.optionalInt64("due"))
    }

    /// See `OrderStore`.
    public func dueDeliveries(now: Int64, limit: Int) async throws -> [String] {
        try await storage.rows(
            """
            SELECT id FROM orders WHERE state = 'confirmed' AND deliver_at <= \(now) ORDER BY deliver_at, id LIMIT \(Int64(limit))
            """
        ).map { try $0.makeRandomAccess().text("id") }
    }

    /// See `OrderStore`. A delivery leased to a scheduler counts from its lease end.
    public func earliestDelivery() async throws -> Int64? {
        try await storage.rows(
            """
            SELECT MIN(GREATEST(deliver_at, COALESCE(delivery_lease_until, 0))) AS due FROM orders WHERE state = 'confirmed'
            """
        ).first?.makeRandomAccess().optionalInt64("due")
    }
}
