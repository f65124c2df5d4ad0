import PostgresNIO
import PostgresSupport
import SQLiteSupport

/// Row → value conversions for the Orders tables on PostgreSQL. The column lists are
/// `OrderRows`' (the same on both databases).
enum PostgresOrderRows {
    /// Groups joined rows (ordered by order, then item position) into orders, keeping order.
    static func orders(from rows: [PostgresRow]) throws -> [OrderRecord] {
        var orders: [OrderRecord] = []
        for postgresRow in rows {
            let row = postgresRow.makeRandomAccess()
            let id = try row.text("id")
            if orders.last?.id != id {
                orders.append(try order(from: row))
            }
            if try row.optionalInt64("position") != nil {
                orders[orders.count - 1].items.append(OrderLine(
                    sku: try row.text("sku"),
                    quantity: Int32(truncatingIfNeeded: try row.int64("quantity")),
                    unitPriceCents: try row.int64("unit_price_cents")
                ))
            }
        }
        return orders
    }

    private static func order(from row: PostgresRandomAccessRow) throws -> OrderRecord {
        OrderRecord(
            id: try row.text("id"),
            state: try OrderRows.state(row.text("state"), column: "state"),
            customerID: try row.text("customer_id"),
            items: [],
            totalCents: try row.int64("total_cents"),
            currency: try row.text("currency"),
            cancelReason: try OrderRows.cancelReason(row.optionalText("cancel_reason")),
            paymentID: try row.optionalText("payment_id"),
            createdAt: try row.int64("created_at"),
            updatedAt: try row.int64("updated_at"),
            deliverAt: try row.optionalInt64("deliver_at"),
            requestID: try row.optionalText("request_id"),
            version: try row.int64("version")
        )
    }

    /// A change from an `UPDATE … RETURNING` row.
    static func change(from postgresRow: PostgresRow) throws -> OrderChange {
        let row = postgresRow.makeRandomAccess()
        return OrderChange(
            orderID: try row.text("id"),
            state: try OrderRows.state(row.text("state"), column: "state"),
            cancelReason: try OrderRows.cancelReason(row.optionalText("cancel_reason")),
            paymentID: try row.optionalText("payment_id"),
            deliverAt: try row.optionalInt64("deliver_at"),
            updatedAt: try row.int64("updated_at"),
            version: try row.int64("version")
        )
    }

    static func job(from postgresRow: PostgresRow) throws -> PaymentJob {
        let row = postgresRow.makeRandomAccess()
        guard let kind = PaymentJob.Kind(rawValue: try row.text("kind")) else { throw StorageError.malformedRow(column: "kind") }
        return PaymentJob(
            orderID: try row.text("order_id"),
            kind: kind,
            attempts: Int(try row.int64("attempts")),
            nextAttemptAt: try row.int64("next_attempt_at"),
            deadlineAt: try row.optionalInt64("deadline_at"),
            amountCents: try row.int64("amount_cents"),
            currency: try row.text("currency"),
            customerID: try row.text("customer_id"),
            paymentToken: try row.text("payment_token"),
            paymentID: try row.optionalText("payment_id"),
            reason: try row.optionalText("reason")
        )
    }
}
