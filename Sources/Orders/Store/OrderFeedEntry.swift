/// One order feed entry as a writer appends it: the order's changing fields right after the
/// change, and its customer (the feed's filter). Both stores number entries themselves, in
/// commit order (`PostgresFeedAppend`, `SQLiteFeedAppend`).
struct OrderFeedEntry: Sendable {
    var orderID: String
    var customerID: String
    var version: Int64
    var state: OrderLifecycle.State
    var cancelReason: CancellationReason?
    var paymentID: String?
    var deliverAt: Int64?
    var updatedAt: Int64

    /// The entry of a transition.
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

    /// The entry of a creation (version 1).
    init(created order: OrderRecord) {
        self.orderID = order.id
        self.customerID = order.customerID
        self.version = order.version
        self.state = order.state
        self.cancelReason = order.cancelReason
        self.paymentID = order.paymentID
        self.deliverAt = order.deliverAt
        self.updatedAt = order.updatedAt
    }
}
