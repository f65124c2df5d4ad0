import SQLiteNIO
import SQLiteSupport

extension PaymentRows {
    /// The bind values of one payment, in the order of `PaymentSchema.columns`.
    static func binds(of payment: PaymentRecord) -> [SQLiteData] {
        [
            .text(payment.id), .text(payment.orderID), .text(payment.status.rawValue), .int64(payment.amountCents),
            .text(payment.currency), .text(payment.customerID), .optionalText(payment.declineReason),
            .optionalText(payment.refundReason), .int64(payment.createdAt), .int64(payment.updatedAt),
            .optionalInt64(payment.refundedAt),
        ]
    }

    /// The payment a key selects, read on `connection`.
    static func payment(_ key: PaymentKey, on connection: SQLiteConnection) async throws -> PaymentRecord? {
        let (column, value) = keyColumn(key)
        return try await connection.rows("SELECT \(PaymentSchema.columns) FROM payments WHERE \(column) = ?", [.text(value)])
            .first.map(payment(from:))
    }
}
