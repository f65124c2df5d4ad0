import Logging
import Tracing
import RPC

extension OrderSystem {
    /// CreateOrder: validates, writes the order and its payment job durably, starts the first
    /// payment attempt, and returns the order in `created` (or, for a retried idempotency key,
    /// the order the first request made). The order belongs to the customer `caller` allows
    /// (`Caller.owner(ofNewOrderFor:)`).
    public func create(_ request: OrderRequest, by caller: Caller, logger: Logger? = nil) async throws -> OrderRecord {
        var request = request
        request.customerID = try caller.owner(ofNewOrderFor: request.customerID)
        let draft = try OrderDraft(validating: request)
        let now = clock.now()
        // The charge job keeps this call's trace context, so every attempt joins its trace.
        let order = NewOrder(
            id: OrderIdentifier.make(now: now), draft: draft, createdAt: now,
            paymentDeadline: now + config.paymentTimeout.millis, firstAttemptLease: dispatcher.firstAttemptLease(now: now),
            traceContext: .current()
        )
        // The durable write (a group commit shared with other creates) as its own span.
        let result =
            if let tracer {
                try await tracer.withAnySpan("storage commit", ofKind: .internal) { span in
                    span.attributes["db.operation.name"] = "create order"
                    return try await store.create(order)
                }
            } else {
                try await store.create(order)
            }
        var logger = logger ?? self.logger
        // Only for the info lines below (the payment attempt names the order itself): at a
        // quieter level, copying the logger's metadata would be work for nothing.
        if logger.logLevel <= .info { logger[metadataKey: "order-id"] = "\(result.order.id)" }
        if result.isNew {
            logger.info("order created", metadata: ["total-cents": "\(draft.totalCents)", "currency": "\(draft.currency)"])
            OrderMetrics.ordersCreated.increment()
            dispatcher.kick(order.chargeJob, logger: logger)
        } else {
            logger.info("order create repeated; returning the first order")
        }
        return result.order
    }

    /// GetOrder. Another customer's order is NOT_FOUND, with the same message as a missing one.
    public func order(id: String, for caller: Caller) async throws -> OrderRecord {
        try OrderValidation.checkID(id, field: "id")
        guard let order = try await store.order(id: id), caller.mayAccess(order) else { throw OrderError.notFound(orderID: id) }
        return order
    }

    /// GetOrder from memory: the order when the store holds it and `caller` may see it, else
    /// nil (including every error, which `order(id:for:)` then reports).
    public func cachedOrder(id: String, for caller: Caller) -> OrderRecord? {
        guard (try? OrderValidation.checkID(id, field: "id")) != nil, let order = store.cachedOrder(id: id), caller.mayAccess(order) else {
            return nil
        }
        return order
    }

    /// CancelOrder: cancels a created or confirmed order (a confirmed one is refunded);
    /// returns a cancelled order unchanged; refuses a delivered one. Only the order's customer
    /// or an admin may; for anyone else the order is NOT_FOUND.
    public func cancel(id: String, by caller: Caller, logger: Logger? = nil) async throws -> OrderRecord {
        var logger = logger ?? self.logger
        logger[metadataKey: "order-id"] = "\(id)"
        while true {
            let order = try await order(id: id, for: caller)
            let now = clock.now()
            switch OrderLifecycle.outcome(of: .userCancel, in: order.state) {
            case .refused(let error):
                throw error
            case .unchanged:
                return order
            case .transition(let change):
                var write = OrderWrite(
                    orderID: id, transition: .init(from: order.state, to: change.to, cancelReason: change.cancelReason), now: now
                )
                if change.refund {
                    write.addsRefund = OrderWrite.Refund(
                        paymentID: order.paymentID, reason: CancellationReason.userRequested.rawValue,
                        firstAttemptLease: dispatcher.firstAttemptLease(now: now), traceContext: .current()
                    )
                }
                guard case .applied(let applied?) = try await store.write(write) else { continue }
                logger.info("order cancelled by the customer", metadata: ["from": "\(order.state.rawValue)"])
                OrderMetrics.transition(from: order.state, to: change.to, reason: OrderMetrics.reason(change.cancelReason, event: .userCancel))
                if let refund = write.addsRefund {
                    dispatcher.kick(refund.job(for: id), logger: logger)
                }
                return order.applying(applied)
            }
        }
    }

    /// ListOrders: newest first. `pageSize` 0 means 20; above 100 means 100. A customer sees
    /// only their own orders (`Caller.listFilter(requested:)`).
    public func list(
        pageSize: Int, pageToken: String, state: OrderLifecycle.State?, customerID: String?, for caller: Caller
    ) async throws -> (orders: [OrderRecord], nextPageToken: String) {
        let customerID = try caller.listFilter(requested: customerID)
        guard pageSize >= 0 else { throw OrderError.invalidArgument(field: "page_size", problem: "must not be negative") }
        let size = pageSize == 0 ? Self.defaultPageSize : min(pageSize, Self.maxPageSize)
        let cursor = pageToken.isEmpty ? nil : try OrderCursor(token: pageToken)
        if let customerID { try OrderValidation.checkID(customerID, field: "customer_id") }
        let page = try await store.list(OrderListQuery(pageSize: size, after: cursor, state: state, customerID: customerID))
        return (page.orders, page.next?.token ?? "")
    }

    /// WatchOrder: sends the current order, then the order after every change, until it is
    /// final or the caller's task is cancelled. Subscribes before reading, so no change
    /// between the read and the subscription is missed. During shutdown it ends with
    /// UNAVAILABLE, so the client watches again elsewhere. Another customer's order is
    /// NOT_FOUND (an order never changes customer, so checking the first read is enough).
    public func watch(id: String, for caller: Caller, send: @escaping @Sendable (OrderRecord) async throws -> Void) async throws {
        try OrderValidation.checkID(id, field: "id")
        let changes = store.changes(of: id)
        guard let order = try await store.order(id: id), caller.mayAccess(order) else { throw OrderError.notFound(orderID: id) }
        try await send(order)
        guard !order.state.isFinal else { return }
        let following = Task {
            var order = order
            for await change in changes where change.version > order.version {
                order = order.applying(change)
                try await send(order)
                if order.state.isFinal { return true }
            }
            return false
        }
        let registration = watches.add { following.cancel() }
        defer { watches.remove(registration) }
        let reachedFinal = try await withTaskCancellationHandler {
            try await following.value
        } onCancel: {
            following.cancel()
        }
        if !reachedFinal && watches.isClosed && !Task.isCancelled {
            throw RPCError.unavailable("the server is shutting down; watch again")
        }
    }
}
