import Synchronization
@testable import Orders

/// Stands in for the network between Orders and Payments, with Payments' own promises:
/// one decision per order (asking again returns it), refunds idempotent. `reachable` and
/// `decide` script what the network and the processor do.
final class ScriptedGateway: PaymentGateway {
    struct Ledger {
        /// Decision per order, made on the first call that got through.
        var decisions: [String: PaymentDecision] = [:]
        /// Orders whose approved payment was refunded, and how many refund calls got through.
        var refundCalls: [String: Int] = [:]
        var processCalls = 0
        var unreachableCalls = 0
        var refusedCalls = 0
    }

    private let state = Mutex(Ledger())
    /// Whether a call reaches Payments; false means unreachable.
    let reachable: @Sendable (String) -> Bool
    /// An error Payments answers a charge with instead of deciding (nil: it decides).
    let refusal: @Sendable (ChargeRequest) -> PaymentGatewayError?
    /// The processor's decision for a first charge.
    let decide: @Sendable (ChargeRequest) -> PaymentDecision.Status
    /// Runs before a call is answered (to widen race windows).
    let beforeAnswer: @Sendable (String) async -> Void

    init(
        reachable: @escaping @Sendable (String) -> Bool = { _ in true },
        refusal: @escaping @Sendable (ChargeRequest) -> PaymentGatewayError? = { _ in nil },
        decide: @escaping @Sendable (ChargeRequest) -> PaymentDecision.Status = { $0.paymentToken == "tok_decline" ? .declined : .approved },
        beforeAnswer: @escaping @Sendable (String) async -> Void = { _ in }
    ) {
        self.reachable = reachable
        self.refusal = refusal
        self.decide = decide
        self.beforeAnswer = beforeAnswer
    }

    var ledger: Ledger { state.withLock { $0 } }

    func processPayment(_ charge: ChargeRequest, timeout: Duration) async throws -> PaymentDecision {
        guard reachable(charge.orderID) else {
            state.withLock { $0.unreachableCalls += 1 }
            throw PaymentGatewayError(.unreachable, "connection refused")
        }
        if let error = refusal(charge) {
            state.withLock { $0.refusedCalls += 1 }
            throw error
        }
        await beforeAnswer(charge.orderID)
        return state.withLock { ledger in
            ledger.processCalls += 1
            if let first = ledger.decisions[charge.orderID] { return first }
            let decision = PaymentDecision(paymentID: "pay-" + charge.orderID, status: decide(charge))
            ledger.decisions[charge.orderID] = decision
            return decision
        }
    }

    func refundPayment(_ refund: RefundRequest, timeout: Duration) async throws -> PaymentDecision {
        guard reachable(refund.orderID) else { throw PaymentGatewayError(.unreachable, "connection refused") }
        return try state.withLock { ledger in
            guard var decision = ledger.decisions[refund.orderID] else { throw PaymentGatewayError(.nothingToRefund, "no payment") }
            guard decision.status != .declined else { throw PaymentGatewayError(.nothingToRefund, "declined") }
            ledger.refundCalls[refund.orderID, default: 0] += 1
            decision.status = .refunded
            ledger.decisions[refund.orderID] = decision
            return decision
        }
    }
}
