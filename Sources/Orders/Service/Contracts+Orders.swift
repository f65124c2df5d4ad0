import Contracts
import RPC

/// Proto ↔ domain conversions for the Orders service.
extension OrderRequest {
    /// A create request as the domain sees it (validation happens in `OrderDraft`).
    public init(_ request: CreateOrderRequest) {
        self.init(
            customerID: request.customerID,
            items: request.items.map { OrderLine(sku: $0.sku, quantity: $0.quantity, unitPriceCents: $0.unitPriceCents) },
            currency: request.currency, paymentToken: request.paymentToken, requestID: request.requestID
        )
    }
}

extension Contracts.Order {
    /// The wire form of a stored order.
    public init(_ order: OrderRecord) {
        self.init(
            id: order.id, state: OrderState(order.state), customerID: order.customerID,
            items: order.items.map { LineItem(sku: $0.sku, quantity: $0.quantity, unitPriceCents: $0.unitPriceCents) },
            totalCents: order.totalCents, currency: order.currency, cancelReason: CancelReason(order.cancelReason),
            paymentID: order.paymentID ?? "", createdAt: order.createdAt, updatedAt: order.updatedAt,
            deliverAt: order.deliverAt ?? 0, requestID: order.requestID ?? ""
        )
    }
}

extension Contracts.OrderState {
    public init(_ state: OrderLifecycle.State) {
        switch state {
        case .created: self = .created
        case .confirmed: self = .confirmed
        case .delivered: self = .delivered
        case .cancelled: self = .cancelled
        }
    }

    /// The list filter: nil for every state; INVALID_ARGUMENT for a value this build does not know.
    func filter() throws(OrderError) -> OrderLifecycle.State? {
        switch self {
        case .unspecified: return nil
        case .created: return .created
        case .confirmed: return .confirmed
        case .delivered: return .delivered
        case .cancelled: return .cancelled
        case .unrecognized(let value): throw .invalidArgument(field: "state", problem: "unknown order state \(value)")
        }
    }
}

extension [Contracts.OrderState] {
    /// The feed's state filter: empty for every state; INVALID_ARGUMENT for UNSPECIFIED or a
    /// value this build does not know.
    func feedFilter() throws(OrderError) -> Set<OrderLifecycle.State> {
        var states: Set<OrderLifecycle.State> = []
        for state in self {
            guard let known = try state.filter() else {
                throw .invalidArgument(field: "states", problem: "ORDER_STATE_UNSPECIFIED is not a state to filter by")
            }
            states.insert(known)
        }
        return states
    }
}

extension Contracts.CancelReason {
    public init(_ reason: CancellationReason?) {
        switch reason {
        case nil: self = .unspecified
        case .userRequested?: self = .userRequested
        case .paymentDeclined?: self = .paymentDeclined
        case .paymentTimeout?: self = .paymentTimeout
        }
    }
}
