import SQLiteNIO
import SQLiteSupport
import StorageSupport

/// The SQL of every Payments write, run by a `GroupCommitWriter`: the charges of a batch go in
/// one multi-row INSERT.
struct PaymentWriteExecutor: WriteBatchExecutor {
    enum Request: Sendable {
        case insert(PaymentRecord)
        case refund(PaymentKey, reason: String, now: Int64)
    }

    enum Response: Sendable {
        case inserted(PaymentRecord, isNew: Bool)
        case refunded(PaymentRecord?, refundedNow: Bool)
    }

    func execute(_ requests: [Request], on connection: SQLiteConnection) async throws -> [Result<Response, any Error>] {
        var results = [Result<Response, any Error>?](repeating: nil, count: requests.count)
        let inserts = requests.enumerated().compactMap { index, request -> (Int, PaymentRecord)? in
            if case .insert(let payment) = request { return (index, payment) }
            return nil
        }
        for chunk in inserts.chunked(500) {
            // The unique order id makes a concurrent duplicate a no-op; the first row wins.
            let inserted = try await connection.rows(
                "INSERT INTO payments (\(PaymentSchema.columns)) VALUES \(SQLPlaceholders.rows(chunk.count, columns: 11)) ON CONFLICT (order_id) DO NOTHING RETURNING id",
                chunk.flatMap { PaymentRows.binds(of: $0.1) }
            )
            let insertedIDs = Set(try inserted.map { try $0.text("id") })
            let repeats = chunk.filter { !insertedIDs.contains($0.1.id) }
            var existing: [String: PaymentRecord] = [:]
            if !repeats.isEmpty {
                let orderIDs = Array(Set(repeats.map(\.1.orderID)))
                let rows = try await connection.rows(
                    "SELECT \(PaymentSchema.columns) FROM payments WHERE order_id IN (\(SQLPlaceholders.list(orderIDs.count)))",
                    orderIDs.map { .text($0) }
                )
                for row in rows {
                    let payment = try PaymentRows.payment(from: row)
                    existing[payment.orderID] = payment
                }
            }
            for (index, payment) in chunk {
                if insertedIDs.contains(payment.id) {
                    results[index] = .success(.inserted(payment, isNew: true))
                } else if let first = existing[payment.orderID] {
                    results[index] = .success(.inserted(first, isNew: false))
                } else {
                    throw StorageError.malformedRow(column: "payments.order_id")
                }
            }
        }
        for (index, request) in requests.enumerated() {
            guard case .refund(let key, let reason, let now) = request else { continue }
            let (column, value) = PaymentRows.keyColumn(key)
            let rows = try await connection.rows("""
                UPDATE payments SET status = 'refunded', refund_reason = ?, refunded_at = ?, updated_at = ?
                WHERE \(column) = ? AND status = 'approved'
                RETURNING \(PaymentSchema.columns)
                """, [.text(reason), .int64(now), .int64(now), .text(value)])
            if let row = rows.first {
                results[index] = .success(.refunded(try PaymentRows.payment(from: row), refundedNow: true))
            } else {
                results[index] = .success(.refunded(try await PaymentRows.payment(key, on: connection), refundedNow: false))
            }
        }
        return results.map { $0! }
    }
}
