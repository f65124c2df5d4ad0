import CoreMetrics

/// The Orders domain's metrics: orders created, state transitions by reason, delivery lag and
/// the payment job backlog. swift-metrics only: the executable decides where they go.
enum OrderMetrics {
    static let ordersCreated = Counter(label: "orderhub_orders_created_total")
    static let deliveryLag = Timer(label: "orderhub_delivery_lag_seconds")
    static let jobsPending = Gauge(label: "orderhub_payment_jobs_pending")
    static let oldestJobAge = Gauge(label: "orderhub_payment_job_oldest_age_seconds")

    /// Registers the metrics that have no labels to choose, so /metrics lists them (at 0) from
    /// the start rather than from their first event.
    static func register() {
        _ = (ordersCreated, deliveryLag, jobsPending, oldestJobAge)
    }

    /// Counts one committed transition. `reason` is the cancellation reason, or for other
    /// transitions the event that made them (PAYMENT_APPROVED, DELIVERY_DUE): a handful of
    /// values, never an id.
    static func transition(from: OrderLifecycle.State, to: OrderLifecycle.State, reason: String) {
        Counter(label: "orderhub_order_transitions_total", dimensions: [("from", from.rawValue), ("to", to.rawValue), ("reason", reason)])
            .increment()
    }

    /// The `reason` label of a transition made by `event`.
    static func reason(_ cancelReason: CancellationReason?, event: OrderLifecycle.Event) -> String {
        if let cancelReason { return cancelReason.rawValue }
        switch event {
        case .paymentApproved: return "PAYMENT_APPROVED"
        case .paymentDeclined: return "PAYMENT_DECLINED"
        case .paymentTimedOut: return "PAYMENT_TIMEOUT"
        case .userCancel: return "USER_REQUESTED"
        case .deliveryDue: return "DELIVERY_DUE"
        }
    }
}
