import RequestLogging
import Contracts
import Logging
import RPC

/// The gRPC face of the Orders domain: decodes nothing itself (the generated code does),
/// authenticates every call (`CallerAuthentication`), maps protos to `OrderSystem` calls with
/// the caller, logs with the request id, and turns every failure into a status through
/// `RPCError.orders(_:)`.
public struct OrdersServiceHandler: OrdersService {
    private let system: OrderSystem
    private let authentication: CallerAuthentication
    private let logger: Logger
    /// GetOrder's packed answers for orders answered from memory.
    let encodedOrders = EncodedOrderMemo()

    public init(system: OrderSystem, authentication: CallerAuthentication, logger: Logger) {
        self.system = system
        self.authentication = authentication
        self.logger = logger
    }

    /// CreateOrder: validates, stores durably, returns the order in `created`.
    public func createOrder(_ request: CreateOrderRequest, context: ServerContext) async throws -> Contracts.Order {
        let logger = CallLogger.make(logger, context: context)
        return try await CallLogger.run(logger, mapError: RPCError.orders) {
            let caller = try await authentication.caller(of: context.requestMetadata)
            return Contracts.Order(try await system.create(OrderRequest(request), by: caller, logger: logger))
        }
    }

    /// GetOrder.
    public func getOrder(_ request: GetOrderRequest, context: ServerContext) async throws -> Contracts.Order {
        // The call logger is made only if the call fails: nothing below logs.
        try await CallLogger.run(CallLogger.make(logger, context: context, orderID: request.id), mapError: RPCError.orders) {
            let caller = try await authentication.caller(of: context.requestMetadata)
            return Contracts.Order(try await system.order(id: request.id, for: caller))
        }
    }

    /// CancelOrder: idempotent; FAILED_PRECONDITION once delivered.
    public func cancelOrder(_ request: CancelOrderRequest, context: ServerContext) async throws -> Contracts.Order {
        let logger = CallLogger.make(logger, context: context, orderID: request.id)
        return try await CallLogger.run(logger, mapError: RPCError.orders) {
            let caller = try await authentication.caller(of: context.requestMetadata)
            return Contracts.Order(try await system.cancel(id: request.id, by: caller, logger: logger))
        }
    }

    /// ListOrders: newest first, with page tokens and filters.
    public func listOrders(_ request: ListOrdersRequest, context: ServerContext) async throws -> ListOrdersResponse {
        try await CallLogger.run(CallLogger.make(logger, context: context), mapError: RPCError.orders) {
            let caller = try await authentication.caller(of: context.requestMetadata)
            let page = try await system.list(
                pageSize: Int(request.pageSize), pageToken: request.pageToken, state: try request.state.filter(),
                customerID: request.customerID.isEmpty ? nil : request.customerID, for: caller
            )
            return ListOrdersResponse(orders: page.orders.map(Contracts.Order.init), nextPageToken: page.nextPageToken)
        }
    }

    /// WatchOrder: the current order, then every change until it is final.
    public func watchOrder(_ request: WatchOrderRequest, responses: RPCWriter<Contracts.Order>, context: ServerContext) async throws {
        let logger = CallLogger.make(logger, context: context, orderID: request.id)
        try await CallLogger.run(logger, mapError: RPCError.orders) {
            let caller = try await authentication.caller(of: context.requestMetadata)
            try await system.watch(id: request.id, for: caller) { order in try await responses.write(Contracts.Order(order)) }
        }
    }

    /// WatchOrders: the order feed, from `after_cursor` or from now.
    public func watchOrders(_ request: WatchOrdersRequest, responses: RPCWriter<OrderEvent>, context: ServerContext) async throws {
        let logger = CallLogger.make(logger, context: context)
        try await CallLogger.run(logger, mapError: RPCError.orders) {
            let caller = try await authentication.caller(of: context.requestMetadata)
            try await system.watchFeed(
                afterCursor: request.afterCursor, states: try request.states.feedFilter(),
                customerID: request.customerID.isEmpty ? nil : request.customerID, for: caller,
                // Headers at once: a client (the REST gateway) learns the cursor was accepted
                // even when nothing happens for a while.
                started: { try await responses.sendInitialMetadata() }
            ) { event in
                try await responses.write(OrderEvent(cursor: event.cursor.token, order: Contracts.Order(event.order)))
            }
        }
    }
}

/// The one place where Orders' failures become gRPC statuses.
extension RPCError {
    /// The status for a refused order operation.
    public init(_ error: OrderError) {
        switch error {
        case .invalidArgument: self = .invalidArgument(error.description)
        case .notFound: self = .notFound(error.description)
        case .requestIDReused: self = .alreadyExists(error.description)
        case .failedPrecondition: self = .failedPrecondition(error.description)
        case .permissionDenied: self = .init(code: .permissionDenied, message: error.description)
        case .outOfRange: self = .init(code: .outOfRange, message: error.description)
        case .resourceExhausted: self = .resourceExhausted(error.description)
        }
    }

    /// The status for any failure of an Orders operation: the domain's own refusals here,
    /// storage failures and the rest as every service maps them (`serviceFailure(_:)`).
    public static func orders(_ error: any Error) -> RPCError {
        if let error = error as? OrderError { return RPCError(error) }
        return .serviceFailure(error)
    }
}

/// GetOrder answers from memory when it can: the token the connection's last call verified
/// and an order the store's cache holds, packed once per version of the order. Anything else
/// (a new token, a cache miss, an error) goes the async way, which also logs and maps errors.
extension OrdersServiceHandler: ImmediateRPCService {
    public func registerImmediateMethods(with router: inout RPCRouter) {
        router.registerUnary(
            OrdersMethod.getOrder,
            immediateBytes: { request, context in
                guard let caller = self.authentication.cachedCaller(of: context.requestMetadata),
                    let order = self.system.cachedOrder(id: request.id, for: caller)
                else { return nil }
                return self.encodedOrders.bytes(of: order) { Contracts.Order(order).serializedBytes() }
            },
            handler: { request, context in try await self.getOrder(request, context: context) })
    }
}
