import Contracts
import RPC
import Synchronization

/// An in-memory Orders service for route tests: just enough behaviour to check the mapping.
///
/// - `customerId` `fail:N` makes every RPC about that order (or the create) fail with code N.
/// - `paymentToken` `tok_decline` cancels with PAYMENT_DECLINED when watched; anything else
///   is confirmed then delivered.
/// - WatchOrder sends the current order, then the remaining states until final.
final class FakeOrders: OrdersService, Sendable {
    private let orders = Mutex<[String: Order]>([:])
    private let tokens = Mutex<[String: String]>([:])
    private let nextID = Atomic<Int>(1)
    /// The last ListOrders request, for checking the query mapping.
    let lastList = Mutex<ListOrdersRequest?>(nil)
    /// The last CreateOrder request, for checking the body mapping.
    let lastCreate = Mutex<CreateOrderRequest?>(nil)
    /// WatchOrder waits this long before each change (for heartbeat tests).
    let watchPause = Mutex<Duration?>(nil)
    /// WatchOrder calls that ended because they were cancelled (the client went away).
    let cancelledWatches = Atomic<Int>(0)
    /// GetOrder waits this long first (for deadline tests).
    let delay = Mutex<Duration?>(nil)
    /// The metadata of the last GetOrder or WatchOrder call, for checking what the gateway
    /// passes on (the caller's token, nothing else that could pass for identity).
    let lastMetadata = Mutex<Metadata?>(nil)
    /// Orders with this id are refused with UNAUTHENTICATED, as Orders refuses a bad token.
    static let unauthenticatedID = "needs-a-valid-token"

    func createOrder(_ request: CreateOrderRequest, context: ServerContext) async throws -> Order {
        lastCreate.withLock { $0 = request }
        try Self.failIfAsked(request.customerID)
        guard !request.items.isEmpty else { throw RPCError.invalidArgument("items: at least one item is required") }
        var total: Int64 = 0
        for item in request.items {
            let (line, lineOverflow) = Int64(item.quantity).multipliedReportingOverflow(by: item.unitPriceCents)
            let (sum, sumOverflow) = total.addingReportingOverflow(line)
            guard !lineOverflow, !sumOverflow else { throw RPCError.invalidArgument("items: the total is too large") }
            total = sum
        }
        let id = "ord-\(nextID.add(1, ordering: .relaxed).oldValue)"
        let order = Order(
            id: id, state: .created, customerID: request.customerID, items: request.items,
            totalCents: total,
            currency: request.currency, createdAt: 1_714_564_800_123, updatedAt: 1_714_564_800_123, requestID: request.requestID
        )
        orders.withLock { $0[id] = order }
        tokens.withLock { $0[id] = request.paymentToken }
        return order
    }

    func getOrder(_ request: GetOrderRequest, context: ServerContext) async throws -> Order {
        lastMetadata.withLock { $0 = context.requestMetadata }
        if request.id == Self.unauthenticatedID { throw RPCError.unauthenticated("invalid token") }
        if let delay = delay.withLock({ $0 }) { try await Task.sleep(for: delay) }
        return try find(request.id)
    }

    func cancelOrder(_ request: CancelOrderRequest, context: ServerContext) async throws -> Order {
        var order = try find(request.id)
        switch order.state {
        case .delivered: throw RPCError.failedPrecondition("order \(order.id) is delivered and cannot be cancelled")
        case .cancelled: return order
        default:
            order.state = .cancelled
            order.cancelReason = .userRequested
            let updated = order
            orders.withLock { $0[order.id] = updated }
            return updated
        }
    }

    func listOrders(_ request: ListOrdersRequest, context: ServerContext) async throws -> ListOrdersResponse {
        lastList.withLock { $0 = request }
        try Self.failIfAsked(request.customerID)
        let all = orders.withLock { Array($0.values) }.sorted { $0.id > $1.id }
        let matching = all.filter { request.state == .unspecified || $0.state == request.state }
        return ListOrdersResponse(orders: matching, nextPageToken: matching.count > 1 ? "next" : "")
    }

    func watchOrder(_ request: WatchOrderRequest, responses: RPCWriter<Order>, context: ServerContext) async throws {
        lastMetadata.withLock { $0 = context.requestMetadata }
        var order = try find(request.id)
        try await responses.write(order)
        let token = tokens.withLock { $0[order.id] } ?? ""
        while order.state == .created || order.state == .confirmed {
            if let pause = watchPause.withLock({ $0 }) {
                do {
                    try await Task.sleep(for: pause)
                } catch {
                    cancelledWatches.add(1, ordering: .relaxed)
                    throw error
                }
            }
            if order.state == .created, token == "tok_decline" {
                order.state = .cancelled
                order.cancelReason = .paymentDeclined
            } else {
                order.state = order.state == .created ? .confirmed : .delivered
            }
            let updated = order
            orders.withLock { $0[order.id] = updated }
            try await responses.write(order)
        }
    }

    /// The last WatchOrders request, for checking the query and header mapping.
    let lastWatchOrders = Mutex<WatchOrdersRequest?>(nil)

    /// WatchOrders: a fixed feed of three events with cursors `c1`…`c3`, from after
    /// `after_cursor`; `garbage` is INVALID_ARGUMENT and `old` OUT_OF_RANGE, as Orders answers.
    func watchOrders(_ request: WatchOrdersRequest, responses: RPCWriter<OrderEvent>, context: ServerContext) async throws {
        lastWatchOrders.withLock { $0 = request }
        lastMetadata.withLock { $0 = context.requestMetadata }
        switch request.afterCursor {
        case "garbage": throw RPCError.invalidArgument("after_cursor: is not a cursor from this order feed")
        case "old": throw RPCError(code: .outOfRange, message: "after_cursor: the events after this cursor are no longer retained")
        default: break
        }
        let after = Int(request.afterCursor.dropFirst()) ?? 0
        let states: [OrderState] = [.created, .confirmed, .delivered]
        for index in stride(from: after + 1, through: 3, by: 1) {
            try await responses.write(OrderEvent(cursor: "c\(index)", order: Order(id: "feed-1", state: states[index - 1], customerID: "alice")))
        }
    }

    /// Stores an order as is (for states the fake would not reach by itself).
    func put(_ order: Order) {
        orders.withLock { $0[order.id] = order }
    }

    private func find(_ id: String) throws -> Order {
        guard let order = orders.withLock({ $0[id] }) else { throw RPCError.notFound("order \(id) not found") }
        try Self.failIfAsked(order.customerID)
        return order
    }

    private static func failIfAsked(_ customerID: String) throws {
        guard customerID.hasPrefix("fail:"), let number = Int(customerID.dropFirst(5)),
            let code = StatusCode(rawValue: number), code != .ok
        else { return }
        throw RPCError(code: code, message: "asked to fail with \(code.name)")
    }
}

/// A Health service whose answer the test sets.
final class FakeHealth: HealthService, Sendable {
    let status = Mutex<HealthCheckResponse.ServingStatus>(.serving)
    let lastService = Mutex<String?>(nil)

    func check(_ request: HealthCheckRequest, context: ServerContext) async throws -> HealthCheckResponse {
        lastService.withLock { $0 = request.service }
        return HealthCheckResponse(status: status.withLock { $0 })
    }

    func watch(_ request: HealthCheckRequest, responses: RPCWriter<HealthCheckResponse>, context: ServerContext) async throws {
        try await responses.write(HealthCheckResponse(status: status.withLock { $0 }))
    }
}
