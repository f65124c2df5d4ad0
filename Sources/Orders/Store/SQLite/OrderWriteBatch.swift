import SQLiteNIO
import SQLiteSupport
import StorageSupport

/// Writes a batch of conditional transitions inside the writer's open transaction with a few
/// multi-row statements: one `UPDATE … FROM (VALUES …)` applies every transition whose order
/// is still in its expected state, then the job effects of the writes that applied go in one
/// DELETE and one INSERT. A write that finds its order moved on writes nothing (a conflict).
///
/// Each order appears at most once: the caller runs a second write for the same order after
/// this batch, so it sees the first one's effect.
struct OrderWriteBatch {
    let writes: [OrderWrite]

    /// Rows per statement: keeps binds well under SQLite's limit.
    private static let rowsPerStatement = 500

    func run(on connection: SQLiteConnection) async throws -> [OrderWrite.Outcome] {
        var changes: [String: OrderChange] = [:]
        let transitions = writes.filter { $0.transition != nil }
        for chunk in transitions.chunked(Self.rowsPerStatement) {
            let rows = try await connection.rows(
                """
                WITH v (id, from_state, to_state, cancel_reason, payment_id, deliver_at, now) AS (VALUES \(SQLPlaceholders.rows(chunk.count, columns: 7)))
                UPDATE orders SET state = v.to_state, cancel_reason = v.cancel_reason,
                    payment_id = COALESCE(v.payment_id, orders.payment_id), deliver_at = COALESCE(v.deliver_at, orders.deliver_at),
                    updated_at = v.now, version = orders.version + 1
                FROM v WHERE orders.id = v.id AND orders.state = v.from_state
                RETURNING orders.id, orders.state, orders.cancel_reason, orders.payment_id, orders.deliver_at, orders.updated_at, orders.version
                """,
                chunk.flatMap { write -> [SQLiteData] in
                    let transition = write.transition!
                    return [
                        .text(write.orderID), .text(transition.from.rawValue), .text(transition.to.rawValue),
                        .optionalText(transition.cancelReason?.rawValue), .optionalText(transition.paymentID),
                        .optionalInt64(transition.deliverAt), .int64(write.now),
                    ]
                })
            for row in rows {
                let change = try OrderRows.change(from: row)
                changes[change.orderID] = change
            }
        }
        let outcomes: [OrderWrite.Outcome] = writes.map { write in
            guard write.transition != nil else { return .applied(nil) }
            return changes[write.orderID].map { .applied($0) } ?? .conflict
        }
        let applied = zip(writes, outcomes).filter { $0.1 != .conflict }.map(\.0)
        // One DELETE per kind: `kind = ? AND order_id IN (…)` finds each job by its primary key,
        // where a row-value `(order_id, kind) IN (VALUES …)` made SQLite scan every pending job.
        for kind in PaymentJob.Kind.allCases {
            let completed = applied.filter { $0.completesJob == kind }.map(\.orderID)
            for chunk in completed.chunked(Self.rowsPerStatement) {
                try await connection.execute(
                    "DELETE FROM payment_jobs WHERE kind = ? AND order_id IN (\(SQLPlaceholders.list(chunk.count)))",
                    [.text(kind.rawValue)] + chunk.map { .text($0) }
                )
            }
        }
        let refunds = applied.compactMap { write in
            write.addsRefund.map { ($0.job(for: write.orderID), write.now) }
        }
        for chunk in refunds.chunked(Self.rowsPerStatement) {
            // An order is refunded at most once: a second refund job is a no-op.
            try await connection.execute(
                "INSERT INTO payment_jobs (\(OrderRows.jobColumns)) VALUES \(SQLPlaceholders.rows(chunk.count, columns: OrderRows.jobColumnCount)) ON CONFLICT (order_id, kind) DO NOTHING",
                chunk.flatMap { OrderRows.binds(of: $0.0, createdAt: $0.1) }
            )
        }
        return outcomes
    }
}

extension OrderRows {
    /// The bind values of one `payment_jobs` row, in the column order of `jobColumns`.
    static func binds(of job: PaymentJob, createdAt: Int64) -> [SQLiteData] {
        [
            .text(job.orderID), .text(job.kind.rawValue), .integer(job.attempts), .int64(job.nextAttemptAt),
            .optionalInt64(job.deadlineAt), .int64(job.amountCents), .text(job.currency), .text(job.customerID),
            .text(job.paymentToken), .optionalText(job.paymentID), .optionalText(job.reason), .int64(createdAt),
            .optionalText(job.traceContext?.traceParent), .optionalText(job.traceContext?.traceState),
        ]
    }
}
