import CoreMetrics

/// The Payments domain's metrics: charges decided, by outcome, and refunds made.
enum PaymentMetrics {
    static let approved = Counter(label: "orderhub_payments_total", dimensions: [("outcome", "approved")])
    static let declined = Counter(label: "orderhub_payments_total", dimensions: [("outcome", "declined")])
    static let refunds = Counter(label: "orderhub_refunds_total")

    /// Registers them all, so /metrics lists them (at 0) from the start.
    static func register() {
        _ = (approved, declined, refunds)
    }
}
