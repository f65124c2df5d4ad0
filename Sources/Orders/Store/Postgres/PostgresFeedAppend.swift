import Logging
import PostgresNIO
import PostgresSupport

/// Appends a transaction's order feed entries, numbered in commit order, as the last statement
/// of the batch transaction.
///
/// Why not a sequence: `nextval` hands out numbers in call order, not commit order. Transaction
/// A may take 41, B take 42 and commit, and A commit a moment later; a consumer that read 42
/// and stored it as its cursor would never see 41. So numbering is serialized instead: the
/// statement below increments the one row of `order_feed_head`, and the row lock it takes is
/// held until the transaction ends. A second transaction's increment waits for the first to
/// commit (or roll back), and then reads the committed counter. PostgreSQL makes a committed
/// transaction visible before it releases its locks, so once any snapshot sees an entry, every
/// entry with a lower `seq` that will ever exist is visible to it too: a reader can take
/// `seq > cursor` and never skip a late commit. A rolled-back transaction undoes its increment,
/// so there are no gaps either (consumers do not rely on that).
///
/// The cost is that appending transactions commit one at a time; it stays small because this
/// is the last statement (the lock is held only for it and the commit), and a batch appends
/// all its entries at once. A notifying transaction serializes on PostgreSQL's NOTIFY queue
/// lock at commit anyway. No other lock is taken after the counter's, so it cannot deadlock.
enum PostgresFeedAppend {
    /// One feed entry: the order's changing fields after the change, and its customer.
    struct Entry: Sendable {
        var orderID: String
        var customerID: String
        var version: Int64
        var state: OrderLifecycle.State
        var cancelReason: CancellationReason?
        var paymentID: String?
        var deliverAt: Int64?
        var updatedAt: Int64

        init(_ change: OrderChange, customerID: String) {
            self.orderID = change.orderID
            self.customerID = customerID
            self.version = change.version
            self.state = change.state
            self.cancelReason = change.cancelReason
            self.paymentID = change.paymentID
            self.deliverAt = change.deliverAt
            self.updatedAt = change.updatedAt
        }

        init(created order: OrderRecord) {
            self.orderID = order.id
            self.customerID = order.customerID
            self.version = order.version
            self.state = order.state
            self.updatedAt = order.updatedAt
        }
    }

    /// Appends `entries` in order and NOTIFYs `channel` with an empty payload (the feed's
    /// signal; order ids are the watchers' signals). Call last in the transaction.
    static func append(_ entries: [Entry], channel: String, on connection: PostgresConnection, logger: Logger) async throws {
        guard !entries.isEmpty else { return }
        try await connection.query("SELECT pg_notify(\(channel), '')", logger: logger)
        let count = Int64(entries.count)
        // Nullable columns travel as '' or -1 (arrays of optionals do not bind), and come back
        // as NULL through NULLIF.
        try await connection.query(
            """
            WITH head AS (UPDATE order_feed_head SET last_seq = last_seq + \(count) RETURNING last_seq)
            INSERT INTO order_feed (seq, order_id, customer_id, version, state, cancel_reason, payment_id, deliver_at, updated_at)
            SELECT head.last_seq - \(count) + e.ord, e.order_id, e.customer_id, e.version, e.state, NULLIF(e.cancel_reason, ''),
                NULLIF(e.payment_id, ''), NULLIF(e.deliver_at, -1), e.updated_at
            FROM head, UNNEST(\(entries.map(\.orderID)), \(entries.map(\.customerID)), \(entries.map(\.version)),
                              \(entries.map(\.state.rawValue)), \(entries.map { $0.cancelReason?.rawValue ?? "" }),
                              \(entries.map { $0.paymentID ?? "" }), \(entries.map { $0.deliverAt ?? -1 }), \(entries.map(\.updatedAt)))
                WITH ORDINALITY AS e (order_id, customer_id, version, state, cancel_reason, payment_id, deliver_at, updated_at, ord)
            """, logger: logger)
    }
}
