import StorageSupport

/// An order as stored: what GetOrder returns.
public struct OrderRecord: Sendable, Hashable {
    /// A UUID assigned at creation.
    public var id: String
    public var state: OrderLifecycle.State
    public var customerID: String
    public var items: [OrderLine]
    public var totalCents: Int64
    /// ISO-4217 code.
    public var currency: String
    /// Set only when `state` is `cancelled`.
    public var cancelReason: CancellationReason?
    /// Set once Payments has approved.
    public var paymentID: String?
    /// Unix milliseconds.
    public var createdAt: Int64
    /// Unix milliseconds.
    public var updatedAt: Int64
    /// Unix milliseconds; set when confirmed.
    public var deliverAt: Int64?
    /// The idempotency key the order was created with.
    public var requestID: String?
    /// Starts at 1 and grows by one with every transition; orders change notifications.
    public var version: Int64

    public init(
        id: String, state: OrderLifecycle.State, customerID: String, items: [OrderLine], totalCents: Int64,
        currency: String, cancelReason: CancellationReason? = nil, paymentID: String? = nil, createdAt: Int64,
        updatedAt: Int64, deliverAt: Int64? = nil, requestID: String? = nil, version: Int64 = 1
    ) {
        self.id = id
        self.state = state
        self.customerID = customerID
        self.items = items
        self.totalCents = totalCents
        self.currency = currency
        self.cancelReason = cancelReason
        self.paymentID = paymentID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deliverAt = deliverAt
        self.requestID = requestID
        self.version = version
    }

    /// The order after a committed change.
    public func applying(_ change: OrderChange) -> OrderRecord {
        var order = self
        order.state = change.state
        order.cancelReason = change.cancelReason
        order.paymentID = change.paymentID
        order.updatedAt = change.updatedAt
        order.deliverAt = change.deliverAt
        order.version = change.version
        return order
    }
}

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

/// Order ids: UUID version 7 (RFC 9562), lower-case (`TimeOrderedID`). The millisecond prefix
/// keeps new ids at the end of the primary-key index, so inserts stay cheap as the table grows.
public enum OrderIdentifier {
    /// A new order id for an order created at `now` (Unix milliseconds).
    public static func make(now: Int64) -> String {
        TimeOrderedID.make(now: now)
    }

    /// A new order id from `generator`'s randomness.
    public static func make(now: Int64, using generator: inout some RandomNumberGenerator) -> String {
        TimeOrderedID.make(now: now, using: &generator)
    }
}
