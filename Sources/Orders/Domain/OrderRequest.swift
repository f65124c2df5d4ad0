/// A create-order request as received, before validation.
public struct OrderRequest: Sendable, Hashable {
    public var customerID: String
    public var items: [OrderLine]
    public var currency: String
    public var paymentToken: String
    /// The idempotency key; empty means none.
    public var requestID: String

    public init(customerID: String, items: [OrderLine], currency: String, paymentToken: String, requestID: String = "") {
        self.customerID = customerID
        self.items = items
        self.currency = currency
        self.paymentToken = paymentToken
        self.requestID = requestID
    }
}
