/// A payment as stored: one per order.
public struct PaymentRecord: Sendable, Hashable {
    /// A UUID assigned by Payments.
    public var id: String
    /// Unique: the idempotency key of ProcessPayment.
    public var orderID: String
    public var status: PaymentStatus
    public var amountCents: Int64
    public var currency: String
    public var customerID: String
    /// Set when declined.
    public var declineReason: String?
    /// Set when refunded.
    public var refundReason: String?
    /// Unix milliseconds.
    public var createdAt: Int64
    public var updatedAt: Int64
    public var refundedAt: Int64?

    public init(
        id: String, orderID: String, status: PaymentStatus, amountCents: Int64, currency: String, customerID: String,
        declineReason: String? = nil, refundReason: String? = nil, createdAt: Int64, updatedAt: Int64, refundedAt: Int64? = nil
    ) {
        self.id = id
        self.orderID = orderID
        self.status = status
        self.amountCents = amountCents
        self.currency = currency
        self.customerID = customerID
        self.declineReason = declineReason
        self.refundReason = refundReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.refundedAt = refundedAt
    }
}

/// Where a payment is.
public enum PaymentStatus: String, Sendable, Hashable, CaseIterable {
    /// The money was taken.
    case approved
    /// The processor said no; nothing was taken.
    case declined
    /// Taken, then given back.
    case refunded
}
