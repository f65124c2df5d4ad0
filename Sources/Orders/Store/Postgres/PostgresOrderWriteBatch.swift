import Logging
import PostgresNIO
import PostgresSupport

/// Commits a batch of transitions in one transaction, each its own conditional UPDATE run in
/// order (so a second write for the same order sees the first one's effect).
///
/// Batching matters on PostgreSQL because of NOTIFY: a transaction that has notified holds a
/// database-wide lock from its commit until the commit is on disk, so notifying transactions
/// commit one after another, one WAL flush each. A batch pays that once for all its writes.
struct PostgresOrderWriteBatch: PostgresBatchExecutor {
    typealias Request = OrderWrite
    typealias Response = OrderWrite.Outcome

    /// The NOTIFY channel of the store.
    let channel: String
    /// Where this replica's own changes go to its watchers.
    let feed: OrderEventFeed
    /// Wakes this replica's order feed tail after a commit.
    let feedCommits: WakeSignal

    func execute(_ writes: [OrderWrite], on connection: PostgresConnection, logger: Logger) async throws -> [Result<OrderWrite.Outcome, any Error>] {
        var results: [Result<OrderWrite.Outcome, any Error>] = []
        var entries: [PostgresFeedAppend.Entry] = []
        for write in writes {
            let (outcome, entry) = try await apply(write, on: connection, logger: logger)
            results.append(.success(outcome))
            if let entry { entries.append(entry) }
        }
        try await PostgresFeedAppend.append(entries, channel: channel, on: connection, logger: logger)
        return results
    }

    func didCommit(_ responses: [OrderWrite.Outcome]) {
        var changed = false
        for case .applied(let change?) in responses {
            feed.committed(change)
            changed = true
        }
        if changed { feedCommits.signal() }
    }

    /// The conditional UPDATE, the change appended to `order_events` and a NOTIFY carrying the
    /// order id (sent only if the transaction commits; one per order and transaction, as
    /// PostgreSQL folds identical notifications), all in one statement; then the job effects.
    /// A conflict writes nothing.
    private func apply(
        _ write: OrderWrite, on connection: PostgresConnection, logger: Logger
    ) async throws -> (OrderWrite.Outcome, PostgresFeedAppend.Entry?) {
        var change: OrderChange?
        var entry: PostgresFeedAppend.Entry?
        if let transition = write.transition {
            let rows = try await connection.rows(
                """
                WITH changed AS (
                    UPDATE orders SET state = \(transition.to.rawValue), cancel_reason = \(transition.cancelReason?.rawValue),
                        payment_id = COALESCE(\(transition.paymentID), payment_id), deliver_at = COALESCE(\(transition.deliverAt), deliver_at),
                        updated_at = \(write.now), version = version + 1
                    WHERE id = \(write.orderID) AND state = \(transition.from.rawValue)
                    RETURNING id, customer_id, state, cancel_reason, payment_id, deliver_at, updated_at, version
                ), logged AS (
                    INSERT INTO order_events (order_id, version, state, cancel_reason, payment_id, deliver_at, updated_at)
                    SELECT id, version, state, cancel_reason, payment_id, deliver_at, updated_at FROM changed
                )
                SELECT id, customer_id, state, cancel_reason, payment_id, deliver_at, updated_at, version, pg_notify(\(channel), id) FROM changed
                """, logger: logger)
            guard let row = rows.first?.makeRandomAccess() else { return (.conflict, nil) }
            change = try OrderRows.change(from: row)
            entry = PostgresFeedAppend.Entry(change!, customerID: try row.text("customer_id"))
        }
        if let kind = write.completesJob {
            try await connection.query("DELETE FROM payment_jobs WHERE order_id = \(write.orderID) AND kind = \(kind.rawValue)", logger: logger)
        }
        if let refund = write.addsRefund {
            // An order is refunded at most once: a second refund job is a no-op.
            try await connection.query(
                """
                INSERT INTO payment_jobs (order_id, kind, attempts, next_attempt_at, amount_cents, currency, customer_id,
                    payment_token, payment_id, reason, created_at, trace_parent, trace_state)
                VALUES (\(write.orderID), \(PaymentJob.Kind.refund.rawValue), 0, \(refund.firstAttemptLease), 0, '', '', '',
                    \(refund.paymentID), \(refund.reason), \(write.now), \(refund.traceContext?.traceParent),
                    \(refund.traceContext?.traceState))
                ON CONFLICT (order_id, kind) DO NOTHING
                """, logger: logger)
        }
        return (.applied(change), entry)
    }
}
