/// Why an order was cancelled.
public enum CancellationReason: String, Sendable, Hashable, CaseIterable {
    /// The customer cancelled.
    case userRequested = "USER_REQUESTED"
    /// Payments declined the charge.
    case paymentDeclined = "PAYMENT_DECLINED"
    /// No payment result within the payment timeout.
    case paymentTimeout = "PAYMENT_TIMEOUT"
}
