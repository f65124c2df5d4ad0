import Logging
import PostgresNIO
import PostgresSupport

/// Feeds this process's watchers every change of the orders they watch, committed by any
/// replica, each version once and in order, with the order's fields as they were at that
/// transition.
///
/// Every transition also appends its change to `order_events` in the same transaction
/// (`PostgresOrderWriteBatch`), and NOTIFYs the order id. On a notification, or when one of
/// this replica's own commits is not the next version a watcher expects, the feed reads the
/// order's events after the version it published last (`OrderChangeBroadcaster`), so two
/// transitions inside one NOTIFY round trip both reach the watcher. Orders nobody here
/// watches are not read at all.
///
/// The read also takes the order row itself: if events were already pruned (a LISTEN outage
/// longer than their retention), the watcher still gets the latest state.
struct OrderEventFeed: Sendable {
    let storage: PostgresStorage
    let broadcaster: OrderChangeBroadcaster
    let logger: Logger

    /// A change this replica committed: published at once when it is the next version,
    /// otherwise after reading the versions in between.
    func committed(_ change: OrderChange) {
        guard !broadcaster.publishIfNext(change) else { return }
        Task { await catchUp(change.orderID) }
    }

    /// A notification named `orderID`: publishes what changed since the last published version.
    func catchUp(_ orderID: String) async {
        guard let after = broadcaster.catchUpPoint(of: orderID) else { return }
        do {
            let rows = try await storage.rows(
                """
                SELECT order_id AS id, version, state, cancel_reason, payment_id, deliver_at, updated_at
                FROM order_events WHERE order_id = \(orderID) AND version > \(after)
                UNION ALL
                SELECT id, version, state, cancel_reason, payment_id, deliver_at, updated_at
                FROM orders WHERE id = \(orderID) AND version > \(after)
                ORDER BY version
                """)
            broadcaster.publishNewer(try rows.map { try OrderRows.change(from: $0.makeRandomAccess()) })
        } catch {
            logger.warning("reading a watched order's changes failed", metadata: ["order-id": "\(orderID)", "error": "\(String(reflecting: error))"])
        }
    }

    /// LISTEN is (again) in effect: whatever changed while it was not is read now.
    func catchUpWatched() async {
        for orderID in broadcaster.watchedOrderIDs { await catchUp(orderID) }
    }
}
