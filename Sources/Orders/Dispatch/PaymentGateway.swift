/// How Orders reaches Payments. The production conformer calls the Payments service over gRPC
/// with a service token; tests substitute the network.
///
/// Failures are `PaymentGatewayError`s: `.refused` from ProcessPayment means the charge is
/// refused for good and `.nothingToRefund` from RefundPayment that there is nothing to give
/// back; the dispatcher retries every other failure (until the payment timeout for a charge).
public protocol PaymentGateway: Sendable {
    /// Charges for an order. Idempotent per order id: asking again returns the first answer and
    /// never charges twice. A decline is an answer, not an error.
    func processPayment(_ charge: ChargeRequest, timeout: Duration) async throws -> PaymentDecision

    /// Gives an order's payment back. Idempotent.
    func refundPayment(_ refund: RefundRequest, timeout: Duration) async throws -> PaymentDecision
}

/// What ProcessPayment needs.
public struct ChargeRequest: Sendable, Hashable {
    /// Also the idempotency key.
    public var orderID: String
    public var amountCents: Int64
    public var currency: String
    public var paymentToken: String
    public var customerID: String
    /// The request id of the call that led here, for Payments' logs.
    public var requestID: String?

    public init(orderID: String, amountCents: Int64, currency: String, paymentToken: String, customerID: String, requestID: String? = nil) {
        self.orderID = orderID
        self.amountCents = amountCents
        self.currency = currency
        self.paymentToken = paymentToken
        self.customerID = customerID
        self.requestID = requestID
    }
}

/// What RefundPayment needs.
public struct RefundRequest: Sendable, Hashable {
    public var orderID: String
    public var paymentID: String?
    public var reason: String
    /// The request id of the call that led here, for Payments' logs.
    public var requestID: String?

    public init(orderID: String, paymentID: String?, reason: String, requestID: String? = nil) {
        self.orderID = orderID
        self.paymentID = paymentID
        self.reason = reason
        self.requestID = requestID
    }
}

/// Payments' answer about an order's payment.
public struct PaymentDecision: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        case approved
        case declined
        /// Approved earlier, and since given back.
        case refunded
    }

    public var paymentID: String
    public var status: Status

    public init(paymentID: String, status: Status) {
        self.paymentID = paymentID
        self.status = status
    }
}
