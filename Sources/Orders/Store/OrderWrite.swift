/// One conditional write to an order: an optional state transition and the job effects that
/// must commit with it.
public struct OrderWrite: Sendable, Hashable {
    /// A state change that applies only while the order is in `from`.
    public struct Transition: Sendable, Hashable {
        /// The state the order must still be in.
        public var from: OrderLifecycle.State
        /// The new state.
        public var to: OrderLifecycle.State
        /// Set when `to` is `cancelled`.
        public var cancelReason: CancellationReason?
        /// Set on confirmation; otherwise the stored value is kept.
        public var paymentID: String?
        /// Set on confirmation; otherwise the stored value is kept.
        public var deliverAt: Int64?

        public init(
            from: OrderLifecycle.State, to: OrderLifecycle.State, cancelReason: CancellationReason? = nil,
            paymentID: String? = nil, deliverAt: Int64? = nil
        ) {
            self.from = from
            self.to = to
            self.cancelReason = cancelReason
            self.paymentID = paymentID
            self.deliverAt = deliverAt
        }
    }

    /// A refund job to add.
    public struct Refund: Sendable, Hashable {
        /// The payment to refund (Payments also finds it by order id).
        public var paymentID: String?
        /// Why, for Payments' records.
        public var reason: String
        /// The first `next_attempt_at` (a lease for the in-process first attempt).
        public var firstAttemptLease: Int64
        /// The trace context of the call that decided the refund, stored with the job.
        public var traceContext: JobTraceContext?

        public init(paymentID: String?, reason: String, firstAttemptLease: Int64, traceContext: JobTraceContext? = nil) {
            self.paymentID = paymentID
            self.reason = reason
            self.firstAttemptLease = firstAttemptLease
            self.traceContext = traceContext
        }

        /// The refund job this adds to the order `orderID`.
        public func job(for orderID: String) -> PaymentJob {
            PaymentJob(
                orderID: orderID, kind: .refund, attempts: 0, nextAttemptAt: firstAttemptLease,
                paymentID: paymentID, reason: reason, traceContext: traceContext)
        }
    }

    /// What happened.
    public enum Outcome: Sendable, Hashable {
        /// Written. The change is nil for a write without a transition.
        case applied(OrderChange?)
        /// The order was no longer in `transition.from` (or is gone): nothing was written.
        /// Re-read it and decide again.
        case conflict
    }

    /// The order written.
    public var orderID: String
    /// The conditional state change, if any.
    public var transition: Transition?
    /// A job of this kind for the order is finished and removed.
    public var completesJob: PaymentJob.Kind?
    /// A refund job to add, if any.
    public var addsRefund: Refund?
    /// Unix milliseconds: `updated_at`.
    public var now: Int64

    public init(orderID: String, transition: Transition?, completesJob: PaymentJob.Kind? = nil, addsRefund: Refund? = nil, now: Int64) {
        self.orderID = orderID
        self.transition = transition
        self.completesJob = completesJob
        self.addsRefund = addsRefund
        self.now = now
    }
}
