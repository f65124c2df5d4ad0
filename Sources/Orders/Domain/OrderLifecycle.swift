/// The order state machine (docs/orders-and-payments.md, "The lifecycle"), as a pure function: given a state and an event,
/// what happens. Stores and the dispatcher ask it; they never decide transitions themselves.
///
/// ```swift
/// switch OrderLifecycle.outcome(of: .userCancel, in: .confirmed) {
/// case .transition(let change): …   // to cancelled, USER_REQUESTED, refund the payment
/// case .unchanged(let refund): …
/// case .refused(let error): throw error
/// }
/// ```
public enum OrderLifecycle {
    /// Where an order is. `delivered` and `cancelled` are final.
    public enum State: String, Sendable, Hashable, CaseIterable {
        case created
        case confirmed
        case delivered
        case cancelled

        /// No event moves an order out of a final state.
        public var isFinal: Bool { self == .delivered || self == .cancelled }
    }

    /// Something that happens to an order.
    public enum Event: Sendable, Hashable, CaseIterable {
        /// Payments approved the charge.
        case paymentApproved
        /// Payments declined the charge (or refused it for good).
        case paymentDeclined
        /// No payment result arrived within the payment timeout.
        case paymentTimedOut
        /// The customer asked to cancel.
        case userCancel
        /// The order's `deliver_at` has passed.
        case deliveryDue
    }

    /// A state change and what must happen with it, in the same transaction.
    public struct Change: Sendable, Hashable {
        public var to: State
        /// Set when `to` is `cancelled`.
        public var cancelReason: CancellationReason?
        /// Money was taken and must be given back (a durable refund job).
        public var refund: Bool
    }

    /// What an event does to an order in a given state.
    public enum Outcome: Sendable, Hashable {
        /// One conditional write from the current state to `change.to`.
        case transition(Change)
        /// The order stays as it is. `refund` is true when the event brought money that must
        /// go back: an approval that arrived after the order was cancelled.
        case unchanged(refund: Bool)
        /// The event is not allowed in this state; the order stays as it is.
        case refused(OrderError)
    }

    /// The rule table. Every (state, event) pair is listed, so adding a state or an event
    /// does not compile until it is decided.
    public static func outcome(of event: Event, in state: State) -> Outcome {
        switch (state, event) {
        case (.created, .paymentApproved):
            .transition(Change(to: .confirmed, cancelReason: nil, refund: false))
        case (.created, .paymentDeclined):
            .transition(Change(to: .cancelled, cancelReason: .paymentDeclined, refund: false))
        case (.created, .paymentTimedOut):
            .transition(Change(to: .cancelled, cancelReason: .paymentTimeout, refund: false))
        case (.created, .userCancel):
            // An in-flight payment that approves later is refunded (cancelled + approved).
            .transition(Change(to: .cancelled, cancelReason: .userRequested, refund: false))
        case (.created, .deliveryDue):
            .refused(.failedPrecondition("order is not confirmed yet"))

        case (.confirmed, .paymentApproved):
            // A repeated answer for the payment that confirmed the order: already applied.
            .unchanged(refund: false)
        case (.confirmed, .paymentDeclined), (.confirmed, .paymentTimedOut):
            // Payments answers once per order; a confirmed order has its answer.
            .unchanged(refund: false)
        case (.confirmed, .userCancel):
            .transition(Change(to: .cancelled, cancelReason: .userRequested, refund: true))
        case (.confirmed, .deliveryDue):
            .transition(Change(to: .delivered, cancelReason: nil, refund: false))

        case (.delivered, .userCancel):
            .refused(.failedPrecondition("a delivered order cannot be cancelled"))
        case (.delivered, .paymentApproved), (.delivered, .paymentDeclined), (.delivered, .paymentTimedOut):
            .unchanged(refund: false)
        case (.delivered, .deliveryDue):
            // Delivery happens exactly once.
            .unchanged(refund: false)

        case (.cancelled, .paymentApproved):
            // The approval lost the race to a cancel (or came after the timeout): give it back.
            .unchanged(refund: true)
        case (.cancelled, .paymentDeclined), (.cancelled, .paymentTimedOut):
            .unchanged(refund: false)
        case (.cancelled, .userCancel):
            // Cancel is idempotent: the order comes back unchanged.
            .unchanged(refund: false)
        case (.cancelled, .deliveryDue):
            .unchanged(refund: false)
        }
    }
}

/// Why an order was cancelled.
public enum CancellationReason: String, Sendable, Hashable, CaseIterable {
    /// The customer cancelled.
    case userRequested = "USER_REQUESTED"
    /// Payments declined the charge.
    case paymentDeclined = "PAYMENT_DECLINED"
    /// No payment result within the payment timeout.
    case paymentTimeout = "PAYMENT_TIMEOUT"
}
