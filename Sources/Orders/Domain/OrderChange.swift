/// A committed transition of one order: the fields a transition can change. Items, totals and
/// the customer never change after creation, so a watcher applies these to the order it read.
public struct OrderChange: Sendable, Hashable {
    public var orderID: String
    public var state: OrderLifecycle.State
    public var cancelReason: CancellationReason?
    public var paymentID: String?
    public var deliverAt: Int64?
    public var updatedAt: Int64
    /// The order's version after this change.
    public var version: Int64

    public init(
        orderID: String, state: OrderLifecycle.State, cancelReason: CancellationReason?, paymentID: String?,
        deliverAt: Int64?, updatedAt: Int64, version: Int64
    ) {
        self.orderID = orderID
        self.state = state
        self.cancelReason = cancelReason
        self.paymentID = paymentID
        self.deliverAt = deliverAt
        self.updatedAt = updatedAt
        self.version = version
    }
}
