/// One entry of the order feed: an order as it was right after one committed change (its
/// creation included), and the entry's place in commit order.
public struct OrderFeedEvent: Sendable, Hashable {
    /// Commit-order number; strictly increasing along the feed, with gaps allowed.
    public var seq: Int64
    /// The order after the change: the changing fields from the feed entry, the fixed ones
    /// (items, totals, customer) from the order.
    public var order: OrderRecord

    public init(seq: Int64, order: OrderRecord) {
        self.seq = seq
        self.order = order
    }

    /// Where a consumer resumes after this event.
    public var cursor: FeedCursor { FeedCursor(seq: seq) }
}

/// What part of the feed a consumer wants: its customer filter and state filter.
public struct OrderFeedFilter: Sendable, Hashable {
    /// Only this customer's orders; nil for everyone's.
    public var customerID: String?
    /// Only orders in one of these states; empty for every state.
    public var states: Set<OrderLifecycle.State>

    public init(customerID: String? = nil, states: Set<OrderLifecycle.State> = []) {
        self.customerID = customerID
        self.states = states
    }

    /// Whether `order` passes the filter.
    public func admits(_ order: OrderRecord) -> Bool {
        (customerID == nil || order.customerID == customerID) && (states.isEmpty || states.contains(order.state))
    }
}

/// One read of the feed table: events with `after < seq <= through` passing `filter`, at most
/// `limit`, in `seq` order.
public struct OrderFeedQuery: Sendable, Hashable {
    public var after: Int64
    /// Nil for no upper bound.
    public var through: Int64?
    public var filter: OrderFeedFilter
    public var limit: Int

    public init(after: Int64, through: Int64? = nil, filter: OrderFeedFilter = OrderFeedFilter(), limit: Int) {
        self.after = after
        self.through = through
        self.filter = filter
        self.limit = limit
    }
}

/// The answer to an `OrderFeedQuery`, read in one statement (one snapshot), with the feed's
/// bounds as that snapshot saw them.
public struct OrderFeedPage: Sendable, Hashable {
    public var events: [OrderFeedEvent]
    /// The highest `seq` handed out; every event up to it is committed and visible.
    public var lastSeq: Int64
    /// Events up to this `seq` were pruned: a position below it has lost events.
    public var prunedThrough: Int64

    public init(events: [OrderFeedEvent], lastSeq: Int64, prunedThrough: Int64) {
        self.events = events
        self.lastSeq = lastSeq
        self.prunedThrough = prunedThrough
    }
}
