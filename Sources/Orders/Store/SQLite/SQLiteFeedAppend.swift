import SQLiteNIO
import SQLiteSupport
import StorageSupport

/// Appends a transaction's order feed entries on SQLite, numbered in the order the writes ran,
/// as the last statements of the writer's batch transaction.
///
/// SQLite has one writer connection, whose transactions commit one after another, so numbers
/// handed out inside a transaction are commit order. The writer appends explicitly rather than
/// through triggers on `orders`: SQLite compiles a table's triggers into every statement that
/// writes it, at every prepare, and runs them once per row; one counter update and one
/// multi-row INSERT per batch cost a fraction of that. Every path that inserts an order or
/// changes its `version` (`OrderCreateBatch`, `OrderWriteBatch`, the executor's single
/// writes) hands its entries here, in the transaction that writes the order.
enum SQLiteFeedAppend {
    /// Rows per INSERT: nine binds each, well under SQLite's bind limit.
    private static let rowsPerStatement = 500

    /// Takes `entries.count` numbers from `order_feed_head` and inserts the entries with them,
    /// in order. A rolled-back transaction takes back its numbers.
    static func append(_ entries: [OrderFeedEntry], on connection: SQLiteConnection) async throws {
        guard !entries.isEmpty else { return }
        let head = try await connection.rows(
            "UPDATE order_feed_head SET last_seq = last_seq + ? RETURNING last_seq", [.integer(entries.count)]
        )
        guard let last = try head.first?.int64("last_seq") else { throw StorageError.malformedRow(column: "order_feed_head") }
        var seq = last - Int64(entries.count)
        for chunk in entries.chunked(Self.rowsPerStatement) {
            try await connection.execute(
                """
                INSERT INTO order_feed (seq, order_id, customer_id, version, state, cancel_reason, payment_id, deliver_at, updated_at)
                VALUES \(SQLPlaceholders.rows(chunk.count, columns: 9))
                """,
                chunk.flatMap { entry -> [SQLiteData] in
                    seq += 1
                    return [
                        .int64(seq), .text(entry.orderID), .text(entry.customerID), .int64(entry.version), .text(entry.state.rawValue),
                        .optionalText(entry.cancelReason?.rawValue), .optionalText(entry.paymentID), .optionalInt64(entry.deliverAt),
                        .int64(entry.updatedAt),
                    ]
                })
        }
    }
}
