import PostgresNIO
import PostgresSupport

extension PostgresOrderStore {
    /// One transaction: the conditional UPDATE (which also queues a NOTIFY carrying the order
    /// id; PostgreSQL sends it only if the transaction commits), then the job effects. A
    /// conflict rolls back and writes nothing.
    public func write(_ write: OrderWrite) async throws -> OrderWrite.Outcome {
        let outcome = try await storage.transaction { connection -> OrderWrite.Outcome in
            var change: OrderChange?
            if let transition = write.transition {
                let rows = try await connection.rows("""
                    UPDATE orders SET state = \(transition.to.rawValue), cancel_reason = \(transition.cancelReason?.rawValue),
                        payment_id = COALESCE(\(transition.paymentID), payment_id), deliver_at = COALESCE(\(transition.deliverAt), deliver_at),
                        updated_at = \(write.now), version = version + 1
                    WHERE id = \(write.orderID) AND state = \(transition.from.rawValue)
                    RETURNING id, state, cancel_reason, payment_id, deliver_at, updated_at, version, pg_notify(\(channel), id)
                    """, logger: logger)
                guard let row = rows.first else { return .conflict }
                change = try PostgresOrderRows.change(from: row)
            }
            if let kind = write.completesJob {
                try await connection.query(
                    "DELETE FROM payment_jobs WHERE order_id = \(write.orderID) AND kind = \(kind.rawValue)", logger: logger
                )
            }
            if let refund = write.addsRefund {
                // An order is refunded at most once: a second refund job is a no-op.
                try await connection.query("""
                    INSERT INTO payment_jobs (order_id, kind, attempts, next_attempt_at, amount_cents, currency, customer_id,
                        payment_token, payment_id, reason, created_at)
                    VALUES (\(write.orderID), \(PaymentJob.Kind.refund.rawValue), 0, \(refund.firstAttemptLease), 0, '', '', '',
                        \(refund.paymentID), \(refund.reason), \(write.now))
                    ON CONFLICT (order_id, kind) DO NOTHING
                    """, logger: logger)
            }
            return .applied(change)
        }
        if case .applied(let change?) = outcome { broadcaster.publish(change) }
        return outcome
    }

    /// See `OrderStore`.
    public func purgeIdempotencyKeys(createdBefore cutoff: Int64) async throws -> Int {
        let rows = try await storage.rows("""
            WITH gone AS (DELETE FROM idempotency_keys WHERE created_at < \(cutoff) RETURNING 1)
            SELECT COUNT(*)::BIGINT AS count FROM gone
            """)
        return Int(try rows.first?.makeRandomAccess().int64("count") ?? 0)
    }
}
