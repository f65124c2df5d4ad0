/// Who is asking, as the Orders domain sees it: a customer, who may act on their own orders
/// only, or an admin, who may act on every order. The service handler makes one from the
/// caller's verified token; the domain never sees tokens.
public enum Caller: Sendable, Hashable, CustomStringConvertible {
    /// A customer, by customer id.
    case customer(String)
    /// Acts on every customer's orders. `subject` is who, for logs; nil when no one is
    /// authenticated at all (`--insecure-no-user-auth`).
    case admin(subject: String?)

    /// Whether the caller may see and act on `order`. Another customer's order is to be
    /// reported exactly like a missing one, so its existence does not leak.
    public func mayAccess(_ order: OrderRecord) -> Bool {
        switch self {
        case .admin: true
        case .customer(let id): order.customerID == id
        }
    }

    /// The customer an order created by this caller belongs to. A customer creates for
    /// themselves (an empty `requested` means that too; another id is PERMISSION_DENIED); an
    /// admin must name the customer.
    public func owner(ofNewOrderFor requested: String) throws(OrderError) -> String {
        switch self {
        case .customer(let id):
            guard requested.isEmpty || requested == id else {
                throw .permissionDenied("customer_id: a customer may create orders only for themselves")
            }
            return id
        case .admin:
            guard !requested.isEmpty else {
                throw .invalidArgument(field: "customer_id", problem: "is required when an admin creates an order")
            }
            return requested
        }
    }

    /// The customer filter a list by this caller runs with. A customer always lists their
    /// own orders; naming another customer is PERMISSION_DENIED (a mistake worth reporting,
    /// not silently answering with something else). An admin's filter is used as given.
    public func listFilter(requested: String?) throws(OrderError) -> String? {
        switch self {
        case .customer(let id):
            guard requested == nil || requested == id else {
                throw .permissionDenied("customer_id: a customer may list only their own orders")
            }
            return id
        case .admin:
            return requested
        }
    }

    public var description: String {
        switch self {
        case .customer(let id): "customer \(id)"
        case .admin(let subject?): "admin \(subject)"
        case .admin(nil): "anyone (user authentication is off)"
        }
    }
}
