import SQLiteNIO
import SQLiteSupport

/// Row ↔ value conversions for the payments table.
enum PaymentRows {
    static func payment(from row: SQLiteRow) throws -> PaymentRecord {
        guard let status = PaymentStatus(rawValue: try row.text("status")) else { throw StorageError.malformedRow(column: "status") }
        return PaymentRecord(
            id: try row.text("id"), orderID: try row.text("order_id"), status: status,
            amountCents: try row.int64("amount_cents"), currency: try row.text("currency"),
            customerID: try row.text("customer_id"), declineReason: try row.optionalText("decline_reason"),
            refundReason: try row.optionalText("refund_reason"), createdAt: try row.int64("created_at"),
            updatedAt: try row.int64("updated_at"), refundedAt: try row.optionalInt64("refunded_at")
        )
    }

    static func binds(of payment: PaymentRecord) -> [SQLiteData] {
        [
            .text(payment.id), .text(payment.orderID), .text(payment.status.rawValue), .int64(payment.amountCents),
            .text(payment.currency), .text(payment.customerID), .optionalText(payment.declineReason),
            .optionalText(payment.refundReason), .int64(payment.createdAt), .int64(payment.updatedAt),
            .optionalInt64(payment.refundedAt),
        ]
    }

    /// The column and value a key selects by.
    static func keyColumn(_ key: PaymentKey) -> (String, String) {
        switch key {
        case .id(let id): ("id", id)
        case .orderID(let orderID): ("order_id", orderID)
        }
    }

    static func payment(_ key: PaymentKey, on connection: SQLiteConnection) async throws -> PaymentRecord? {
        let (column, value) = keyColumn(key)
        return try await connection.rows("SELECT \(PaymentSchema.columns) FROM payments WHERE \(column) = ?", [.text(value)])
            .first.map(payment(from:))
    }
}
