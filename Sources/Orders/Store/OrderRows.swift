import StorageSupport

/// Row → value conversions for the Orders tables, the same on both databases (the columns
/// and their meaning are; only the row type differs).
enum OrderRows {
    /// Columns of an order joined with its items (items columns are NULL for no items).
    static let orderColumns = """
        o.id, o.state, o.customer_id, o.total_cents, o.currency, o.cancel_reason, o.payment_id, o.request_id,
        o.created_at, o.updated_at, o.deliver_at, o.version,
        i.position, i.sku, i.quantity, i.unit_price_cents
        """

    /// Groups joined rows (ordered by order, then item position) into orders, keeping order.
    static func orders<Row: StorageRow>(from rows: [Row]) throws -> [OrderRecord] {
        var orders: [OrderRecord] = []
        for row in rows {
            let id = try row.text("id")
            if orders.last?.id != id {
                orders.append(try order(from: row))
            }
            if try row.optionalInt64("position") != nil {
                orders[orders.count - 1].items.append(
                    OrderLine(
                        sku: try row.text("sku"),
                        quantity: Int32(truncatingIfNeeded: try row.int64("quantity")),
                        unitPriceCents: try row.int64("unit_price_cents")
                    ))
            }
        }
        return orders
    }

    static func order(from row: some StorageRow) throws -> OrderRecord {
        OrderRecord(
            id: try row.text("id"),
            state: try state(row.text("state"), column: "state"),
            customerID: try row.text("customer_id"),
            items: [],
            totalCents: try row.int64("total_cents"),
            currency: try row.text("currency"),
            cancelReason: try cancelReason(row.optionalText("cancel_reason")),
            paymentID: try row.optionalText("payment_id"),
            createdAt: try row.int64("created_at"),
            updatedAt: try row.int64("updated_at"),
            deliverAt: try row.optionalInt64("deliver_at"),
            requestID: try row.optionalText("request_id"),
            version: try row.int64("version")
        )
    }

    /// A change from an `UPDATE … RETURNING` row.
    static func change(from row: some StorageRow) throws -> OrderChange {
        OrderChange(
            orderID: try row.text("id"),
            state: try state(row.text("state"), column: "state"),
            cancelReason: try cancelReason(row.optionalText("cancel_reason")),
            paymentID: try row.optionalText("payment_id"),
            deliverAt: try row.optionalInt64("deliver_at"),
            updatedAt: try row.int64("updated_at"),
            version: try row.int64("version")
        )
    }

    /// The columns of a `payment_jobs` row, in the order `binds(of:createdAt:)` gives values.
    static let jobColumns = """
        order_id, kind, attempts, next_attempt_at, deadline_at, amount_cents, currency, customer_id, payment_token,
        payment_id, reason, created_at, trace_parent, trace_state
        """

    /// How many columns `jobColumns` names.
    static let jobColumnCount = 14

    /// A job from a `payment_jobs` row.
    static func job(from row: some StorageRow) throws -> PaymentJob {
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
            reason: try row.optionalText("reason"),
            traceContext: try row.optionalText("trace_parent").map {
                JobTraceContext(traceParent: $0, traceState: try row.optionalText("trace_state"))
            }
        )
    }

    static func state(_ text: String, column: String) throws -> OrderLifecycle.State {
        guard let state = OrderLifecycle.State(rawValue: text) else { throw StorageError.malformedRow(column: column) }
        return state
    }

    static func cancelReason(_ text: String?) throws -> CancellationReason? {
        guard let text else { return nil }
        guard let reason = CancellationReason(rawValue: text) else { throw StorageError.malformedRow(column: "cancel_reason") }
        return reason
    }
}
