import Logging
import PostgresSupport

/// Turns change notifications into `OrderChange`s for this process's watchers: re-reads a
/// watched order and publishes it whole (watchers skip versions they have seen, so a change
/// published twice, locally and from NOTIFY, is harmless). Orders nobody here watches are not
/// read at all.
struct WatchedOrderReader: Sendable {
    let storage: PostgresStorage
    let broadcaster: OrderChangeBroadcaster
    let logger: Logger

    /// A notification named `orderID`.
    func republish(_ orderID: String) async {
        guard broadcaster.watcherCount(of: orderID) > 0 else { return }
        do {
            guard let order = try await PostgresOrderReads.order(id: orderID, in: storage) else { return }
            broadcaster.publish(OrderChange(
                orderID: order.id, state: order.state, cancelReason: order.cancelReason, paymentID: order.paymentID,
                deliverAt: order.deliverAt, updatedAt: order.updatedAt, version: order.version
            ))
        } catch {
            logger.warning("re-reading a watched order failed", metadata: ["order-id": "\(orderID)", "error": "\(String(reflecting: error))"])
        }
    }

    /// LISTEN is (again) in effect: whatever changed while it was not is read now.
    func republishWatched() async {
        for orderID in broadcaster.watchedOrderIDs { await republish(orderID) }
    }
}
