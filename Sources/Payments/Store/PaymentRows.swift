import StorageSupport

/// Row → value conversions for the payments table, the same on both databases.
enum PaymentRows {
    /// A payment from a row with `PaymentSchema.columns`.
    static func payment(from row: some StorageRow) throws -> PaymentRecord {
        guard let status = PaymentStatus(rawValue: try row.text("status")) else { throw StorageError.malformedRow(column: "status") }
        return PaymentRecord(
            id: try row.text("id"), orderID: try row.text("order_id"), status: status,
            amountCents: try row.int64("amount_cents"), currency: try row.text("currency"),
            customerID: try row.text("customer_id"), declineReason: try row.optionalText("decline_reason"),
            refundReason: try row.optionalText("refund_reason"), createdAt: try row.int64("created_at"),
            updatedAt: try row.int64("updated_at"), refundedAt: try row.optionalInt64("refunded_at")
        )
    }

    /// The column and value a key selects by.
    static func keyColumn(_ key: PaymentKey) -> (String, String) {
        switch key {
        case .id(let id): ("id", id)
        case .orderID(let orderID): ("order_id", orderID)
        }
    }
}
