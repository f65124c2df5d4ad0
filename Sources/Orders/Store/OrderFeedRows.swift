import StorageSupport

/// The feed read, the same on both databases but for placeholders: the head row (bounds) left
/// joined with one page of `order_feed`, each entry joined with its order's fixed fields and
/// items. The head row makes an empty page still report the bounds, from the same snapshot.
enum OrderFeedRows {
    /// Columns named as `OrderRows.order(from:)` reads them, plus the feed's.
    static let columns = """
        h.last_seq, h.pruned_through, f.seq, f.order_id AS id, f.state, f.customer_id, o.total_cents, o.currency,
        f.cancel_reason, f.payment_id, o.request_id, o.created_at, f.updated_at, f.deliver_at, f.version,
        i.position, i.sku, i.quantity, i.unit_price_cents
        """

    /// `FROM …` around the page subquery `page` (which selects `*` from `order_feed`).
    static func from(page: String) -> String {
        """
        FROM order_feed_head h
        LEFT JOIN (\(page)) f ON 1 = 1
        LEFT JOIN orders o ON o.id = f.order_id
        LEFT JOIN order_items i ON i.order_id = f.order_id
        ORDER BY f.seq, i.position
        """
    }

    /// Groups joined rows (ordered by seq, then item position) into a page.
    static func page<Row: StorageRow>(from rows: [Row]) throws -> OrderFeedPage {
        guard let first = rows.first else { throw StorageError.malformedRow(column: "order_feed_head") }
        var events: [OrderFeedEvent] = []
        for row in rows {
            guard let seq = try row.optionalInt64("seq") else { continue }
            if events.last?.seq != seq {
                events.append(OrderFeedEvent(seq: seq, order: try OrderRows.order(from: row)))
            }
            if try row.optionalInt64("position") != nil {
                events[events.count - 1].order.items.append(
                    OrderLine(
                        sku: try row.text("sku"),
                        quantity: Int32(truncatingIfNeeded: try row.int64("quantity")),
                        unitPriceCents: try row.int64("unit_price_cents")
                    ))
            }
        }
        return OrderFeedPage(events: events, lastSeq: try first.int64("last_seq"), prunedThrough: try first.int64("pruned_through"))
    }
}
