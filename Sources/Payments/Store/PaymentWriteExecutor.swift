import SQLiteNIO
import SQLiteSupport

/// The SQL of every Payments write, run by a `GroupCommitWriter`.
struct PaymentWriteExecutor: WriteBatchExecutor {
    enum Request: Sendable {
        case insert(PaymentRecord)
        case refund(PaymentKey, reason: String, now: Int64)
    }

    enum Response: Sendable {
        case inserted(PaymentRecord, isNew: Bool)
        case refunded(PaymentRecord?)
    }

    func execute(_ requests: [Request], on connection: SQLiteConnection) async throws -> [Result<Response, any Error>] {
        var results: [Result<Response, any Error>] = []
        for request in requests {
            switch request {
            case .insert(let payment):
                // The unique order id makes a concurrent duplicate a no-op; the first row wins.
                let inserted = try await connection.rows(
                    "INSERT INTO payments (\(PaymentSchema.columns)) VALUES \(SQLPlaceholders.rows(1, columns: 11)) ON CONFLICT (order_id) DO NOTHING RETURNING id",
                    PaymentRows.binds(of: payment)
                )
                if inserted.isEmpty {
                    guard let existing = try await PaymentRows.payment(.orderID(payment.orderID), on: connection) else {
                        throw StorageError.malformedRow(column: "payments.order_id")
                    }
                    results.append(.success(.inserted(existing, isNew: false)))
                } else {
                    results.append(.success(.inserted(payment, isNew: true)))
                }
            case .refund(let key, let reason, let now):
                let (column, value) = PaymentRows.keyColumn(key)
                let rows = try await connection.rows("""
                    UPDATE payments SET status = 'refunded', refund_reason = ?, refunded_at = ?, updated_at = ?
                    WHERE \(column) = ? AND status = 'approved'
                    RETURNING \(PaymentSchema.columns)
                    """, [.text(reason), .int64(now), .int64(now), .text(value)])
                if let row = rows.first {
                    results.append(.success(.refunded(try PaymentRows.payment(from: row))))
                } else {
                    results.append(.success(.refunded(try await PaymentRows.payment(key, on: connection))))
                }
            }
        }
        return results
    }
}
