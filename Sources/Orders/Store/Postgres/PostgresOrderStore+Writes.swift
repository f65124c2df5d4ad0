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
        let rows = try await storage.rows(
            """
            WITH gone AS (DELETE FROM idempotency_keys WHERE created_at < \(cutoff) RETURNING 1)
            SELECT COUNT(*)::BIGINT AS count FROM gone
            """)
        return Int(try rows.first?.makeRandomAccess().int64("count") ?? 0)
    }

    /// See `OrderStore`.
    public func purgeOrderEvents(before cutoff: Int64) async throws -> Int {
        let rows = try await storage.rows(
            """
            WITH gone AS (DELETE FROM order_events WHERE updated_at < \(cutoff) RETURNING 1)
            SELECT COUNT(*)::BIGINT AS count FROM gone
            """)
        return Int(try rows.first?.makeRandomAccess().int64("count") ?? 0) + (try await purgeFeed(before: cutoff))
    }
}

extension PostgresOrderStore {
    /// `FOR UPDATE SKIP LOCKED`: concurrent claimers (other replicas) skip the rows one of
    /// them is claiming instead of waiting for them, and each due job goes to one claimer.
    public func claimDueJobs(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [PaymentJob] {
        try await storage.rows(
            """
            UPDATE payment_jobs AS j SET next_attempt_at = \(leaseUntil)
            FROM (
                SELECT order_id, kind FROM payment_jobs WHERE next_attempt_at <= \(now)
                ORDER BY next_attempt_at LIMIT \(Int64(limit)) FOR UPDATE SKIP LOCKED
            ) AS due
            WHERE j.order_id = due.order_id AND j.kind = due.kind
            RETURNING j.order_id, j.kind, j.attempts, j.next_attempt_at, j.deadline_at, j.amount_cents, j.currency,
                j.customer_id, j.payment_token, j.payment_id, j.reason, j.trace_parent, j.trace_state
            """
        ).map { try OrderRows.job(from: $0.makeRandomAccess()) }
    }

    /// See `OrderStore`.
    public func rescheduleJob(orderID: String, kind: PaymentJob.Kind, attempts: Int, nextAttemptAt: Int64) async throws {
        try await storage.execute(
            """
            UPDATE payment_jobs SET attempts = \(Int64(attempts)), next_attempt_at = \(nextAttemptAt)
            WHERE order_id = \(orderID) AND kind = \(kind.rawValue)
            """)
    }

    /// As `claimDueJobs`: each due delivery goes to one scheduler of all the replicas.
    public func claimDueDeliveries(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [String] {
        let rows = try await storage.rows(
            """
            UPDATE orders AS o SET delivery_lease_until = \(leaseUntil)
            FROM (
                SELECT id FROM orders
                WHERE state = 'confirmed' AND deliver_at <= \(now) AND COALESCE(delivery_lease_until, 0) <= \(now)
                ORDER BY deliver_at LIMIT \(Int64(limit)) FOR UPDATE SKIP LOCKED
            ) AS due
            WHERE o.id = due.id
            RETURNING o.id, o.deliver_at
            """)
        let due = try rows.map { row in
            let columns = row.makeRandomAccess()
            return (id: try columns.text("id"), at: try columns.int64("deliver_at"))
        }
        return due.sorted { ($0.at, $0.id) < ($1.at, $1.id) }.map(\.id)
    }
}
