import RPC

extension OrderSystem {
    /// WatchOrders: every change to every order `caller` may see, in commit order, each once,
    /// after `afterCursor` (empty: from now), until the caller's task is cancelled.
    ///
    /// A customer gets their own orders (naming another customer is PERMISSION_DENIED), an
    /// admin everyone's or `customerID`'s. A cursor whose following events were pruned is
    /// OUT_OF_RANGE, one this feed did not issue INVALID_ARGUMENT. A consumer slower than the
    /// feed by more than its buffer is ended with RESOURCE_EXHAUSTED; during shutdown the
    /// stream ends with UNAVAILABLE. Either way the caller resumes from its last cursor.
    ///
    /// The stream reads history from the database page by page (never more than a page in
    /// memory) until it reaches the feed's head, then subscribes to the live tail; the pages
    /// and the tail meet at the head seen when subscribing, so nothing is missed or repeated.
    public func watchFeed(
        afterCursor: String, states: Set<OrderLifecycle.State>, customerID: String?, for caller: Caller,
        started: @Sendable () async throws -> Void = {}, send: @Sendable (OrderFeedEvent) async throws -> Void
    ) async throws {
        let filter = OrderFeedFilter(customerID: try caller.listFilter(requested: customerID), states: states)
        if let customerID = filter.customerID { try OrderValidation.checkID(customerID, field: "customer_id") }
        let cursor = afterCursor.isEmpty ? nil : try FeedCursor(token: afterCursor)
        guard !feed.isClosed else { throw RPCError.unavailable("the server is shutting down; watch again") }
        let bounds = try await store.feedPage(OrderFeedQuery(after: .max, limit: 0))
        feed.start(at: bounds.lastSeq)
        var position = cursor?.seq ?? bounds.lastSeq
        if position > bounds.lastSeq {
            throw OrderError.invalidArgument(field: "after_cursor", problem: "is not a cursor from this order feed")
        }
        guard position >= bounds.prunedThrough else { throw outOfRange }
        try await started()
        while true {
            guard let head = feed.head else { break }
            if position >= head { break }
            position = try await catchUp(from: position, through: head, filter: filter, send: send)
        }
        guard let (subscription, id, head) = feed.subscribe(filter) else {
            throw RPCError.unavailable("the server is shutting down; watch again")
        }
        defer { feed.unsubscribe(id) }
        while position < head {
            position = try await catchUp(from: position, through: head, filter: filter, send: send)
        }
        for await event in subscription.events {
            if subscription.overflowed { break }
            guard event.seq > position else { continue }
            try await send(event)
            position = event.seq
        }
        if subscription.overflowed {
            throw OrderError.resourceExhausted("the order feed consumer fell behind by more than \(feed.config.bufferSize) events; resume from the last cursor")
        }
        if feed.isClosed && !Task.isCancelled { throw RPCError.unavailable("the server is shutting down; watch again") }
    }

    /// Sends one page of events after `position` (up to `through`) and returns the new
    /// position. OUT_OF_RANGE when events after `position` were pruned.
    private func catchUp(
        from position: Int64, through: Int64, filter: OrderFeedFilter, send: @Sendable (OrderFeedEvent) async throws -> Void
    ) async throws -> Int64 {
        let limit = feed.config.pageSize
        let page = try await store.feedPage(OrderFeedQuery(after: position, through: through, filter: filter, limit: limit))
        guard position >= page.prunedThrough else { throw outOfRange }
        for event in page.events { try await send(event) }
        return page.events.count == limit ? page.events.last!.seq : through
    }
}

extension OrderSystem {
    /// A cursor whose following events were pruned.
    private var outOfRange: OrderError {
        .outOfRange("after_cursor: the events after this cursor are no longer retained (kept \(config.orderEventRetention.hours) h); start again from now")
    }
}

extension Duration {
    /// Whole hours, for messages.
    var hours: Int64 { components.seconds / 3600 }
}
