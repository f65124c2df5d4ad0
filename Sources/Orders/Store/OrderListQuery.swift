/// One page request of ListOrders: newest first, after a cursor, optionally filtered.
public struct OrderListQuery: Sendable, Hashable {
    /// 1–100.
    public var pageSize: Int
    /// Start after this position; nil for the first page.
    public var after: OrderCursor?
    /// Only orders in this state; nil for all.
    public var state: OrderLifecycle.State?
    /// Only this customer's orders; nil for all.
    public var customerID: String?

    public init(pageSize: Int, after: OrderCursor? = nil, state: OrderLifecycle.State? = nil, customerID: String? = nil) {
        self.pageSize = pageSize
        self.after = after
        self.state = state
        self.customerID = customerID
    }
}

/// One page of orders.
public struct OrderPage: Sendable, Hashable {
    /// Newest first.
    public var orders: [OrderRecord]
    /// Where the next page starts; nil on the last page.
    public var next: OrderCursor?

    public init(orders: [OrderRecord], next: OrderCursor?) {
        self.orders = orders
        self.next = next
    }
}
