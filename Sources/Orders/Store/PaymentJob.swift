/// A durable piece of payment work for one order: charge it, or refund it. Rows, never only
/// memory: after a crash every job is still there and resumes.
public struct PaymentJob: Sendable, Hashable {
    /// What the job does.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Call ProcessPayment until it answers for good.
        case charge
        /// Call RefundPayment until it answers for good.
        case refund
    }

    /// The order, and the idempotency key at Payments.
    public var orderID: String
    /// Charge or refund.
    public var kind: Kind
    /// Attempts made so far.
    public var attempts: Int
    /// Unix milliseconds: the next attempt, or the end of the current lease.
    public var nextAttemptAt: Int64
    /// Charge: when the payment timeout cancels the order.
    public var deadlineAt: Int64?
    /// Charge: what ProcessPayment needs.
    public var amountCents: Int64
    /// Charge: ISO-4217 code.
    public var currency: String
    /// Charge: the customer.
    public var customerID: String
    /// Charge: the token Payments decides on.
    public var paymentToken: String
    /// Refund: the payment to give back (Payments also finds it by order id).
    public var paymentID: String?
    /// Refund: why, for Payments' records.
    public var reason: String?
    /// The trace context of the call that created the job; an attempt's span is its child.
    /// Nil when tracing was off (or no span was active) at creation.
    public var traceContext: JobTraceContext?

    public init(
        orderID: String, kind: Kind, attempts: Int, nextAttemptAt: Int64, deadlineAt: Int64? = nil,
        amountCents: Int64 = 0, currency: String = "", customerID: String = "", paymentToken: String = "",
        paymentID: String? = nil, reason: String? = nil, traceContext: JobTraceContext? = nil
    ) {
        self.orderID = orderID
        self.kind = kind
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.deadlineAt = deadlineAt
        self.amountCents = amountCents
        self.currency = currency
        self.customerID = customerID
        self.paymentToken = paymentToken
        self.paymentID = paymentID
        self.reason = reason
        self.traceContext = traceContext
    }
}
