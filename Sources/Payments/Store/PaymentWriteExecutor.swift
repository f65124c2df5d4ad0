import SQLiteNIO
import SQLiteSupport
import StorageSupport

/// The SQL of every Payments write, run by a `GroupCommitWriter`: the charges of a batch go in
/// one multi-row INSERT.
struct PaymentWriteExecutor: WriteBatchExecutor {
    /// Both kinds of write, each with its caller's reply, typed by the kind's answer.
    enum Request: BatchRequest {
        case insert(PaymentRecord, Reply<(payment: PaymentRecord, isNew: Bool)>)
        case refund(PaymentKey, reason: String, now: Int64, Reply<(payment: PaymentRecord, refundedNow: Bool)?>)

        func fail(_ error: any Error) {
            switch self {
            case .insert(_, let reply): reply.fail(error)
            case .refund(_, _, _, let reply): reply.fail(error)
            }
        }
    }

    func execute(_ requests: [Request], on connection: SQLiteConnection) async throws -> BatchOutcome {
        var deliveries: [Delivery] = []
        deliveries.reserveCapacity(requests.count)
        var inserts: [(payment: PaymentRecord, reply: Reply<(payment: PaymentRecord, isNew: Bool)>)] = []
        for case .insert(let payment, let reply) in requests { inserts.append((payment, reply)) }
        for chunk in inserts.chunked(500) {
            // The unique order id makes a concurrent duplicate a no-op; the first row wins.
            let inserted = try await connection.rows(
                "INSERT INTO payments (\(PaymentSchema.columns)) VALUES \(SQLPlaceholders.rows(chunk.count, columns: 11)) ON CONFLICT (order_id) DO NOTHING RETURNING id",
                chunk.flatMap { PaymentRows.binds(of: $0.payment) }
            )
            let insertedIDs = Set(try inserted.map { try $0.text("id") })
            let repeats = chunk.filter { !insertedIDs.contains($0.payment.id) }
            var existing: [String: PaymentRecord] = [:]
            if !repeats.isEmpty {
                let orderIDs = Array(Set(repeats.map(\.payment.orderID)))
                let rows = try await connection.rows(
                    "SELECT \(PaymentSchema.columns) FROM payments WHERE order_id IN (\(SQLPlaceholders.list(orderIDs.count)))",
                    orderIDs.map { .text($0) }
                )
                for row in rows {
                    let payment = try PaymentRows.payment(from: row)
                    existing[payment.orderID] = payment
                }
            }
            for (payment, reply) in chunk {
                if insertedIDs.contains(payment.id) {
                    deliveries.append(reply.answer((payment, true)))
                } else if let first = existing[payment.orderID] {
                    deliveries.append(reply.answer((first, false)))
                } else {
                    throw StorageError.malformedRow(column: "payments.order_id")
                }
            }
        }
        for case .refund(let key, let reason, let now, let reply) in requests {
            let (column, value) = PaymentRows.keyColumn(key)
            let rows = try await connection.rows(
                """
                UPDATE payments SET status = 'refunded', refund_reason = ?, refunded_at = ?, updated_at = ?
                WHERE \(column) = ? AND status = 'approved'
                RETURNING \(PaymentSchema.columns)
                """, [.text(reason), .int64(now), .int64(now), .text(value)])
            if let row = rows.first {
                deliveries.append(reply.answer((try PaymentRows.payment(from: row), true)))
            } else {
                deliveries.append(reply.answer(try await PaymentRows.payment(key, on: connection).map { ($0, false) }))
            }
        }
        return BatchOutcome(deliveries: deliveries)
    }
}
