import CoreMetrics
import Logging
import StorageSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The Payments domain: take a payment once per order, refund it once, look it up. The gRPC
/// handler maps protos to these calls and errors through `RPCError.payments(_:)`.
public final class PaymentSystem: Sendable {
    /// Behaviour settings.
    public struct Config: Sendable {
        /// Chance that the mock processor approves a token other than the test tokens.
        public var approvalRate: Double
        /// Makes the processor's random decisions reproducible; nil for a random seed.
        public var seed: UInt64?

        public init(approvalRate: Double = 0.8, seed: UInt64? = nil) {
            self.approvalRate = approvalRate
            self.seed = seed
        }

        public static var defaults: Config { Config() }
    }

    public let store: any PaymentStore
    private let processor: MockProcessor
    private let logger: Logger

    public init(store: any PaymentStore, config: Config = .defaults, logger: Logger) {
        self.store = store
        self.processor = MockProcessor(approvalRate: config.approvalRate, seed: config.seed)
        self.logger = logger
        PaymentMetrics.register()
    }

    /// ProcessPayment: decides and records the payment for an order, or returns the one
    /// recorded first. A decline is a result, not an error.
    public func process(
        orderID: String, amountCents: Int64, currency: String, paymentToken: String, customerID: String, logger: Logger? = nil
    ) async throws -> PaymentRecord {
        let charge = try PaymentCharge(orderID: orderID, amountCents: amountCents, currency: currency, paymentToken: paymentToken, customerID: customerID)
        var logger = logger ?? self.logger
        // Only for the info line below; at a quieter level it would be work for nothing.
        if logger.logLevel <= .info { logger[metadataKey: "order-id"] = "\(orderID)" }
        // A repeat is answered from the record before the processor sees it: a second decision
        // would be a second charge with a real processor. (The insert below still settles two
        // first calls racing each other: the order id is unique.)
        if let existing = try await store.payment(orderID: orderID) {
            return try Self.sameCharge(existing, charge)
        }
        let decision = processor.decide(charge)
        let now = Self.now()
        let payment = PaymentRecord(
            id: TimeOrderedID.make(now: now), orderID: orderID, status: decision.approved ? .approved : .declined,
            amountCents: amountCents, currency: currency, customerID: customerID, declineReason: decision.declineReason,
            createdAt: now, updatedAt: now
        )
        let (stored, isNew) = try await store.insertIfAbsent(payment)
        guard isNew else { return try Self.sameCharge(stored, charge) }
        logger.info("payment \(stored.status.rawValue)", metadata: ["payment-id": "\(stored.id)", "amount-cents": "\(amountCents)"])
        (stored.status == .approved ? PaymentMetrics.approved : PaymentMetrics.declined).increment()
        return stored
    }

    /// RefundPayment: gives an approved payment back; a refunded one comes back unchanged.
    /// `paymentID` wins when both are given.
    public func refund(paymentID: String, orderID: String, reason: String, logger: Logger? = nil) async throws -> PaymentRecord {
        let key = try Self.key(paymentID: paymentID, orderID: orderID)
        guard let (payment, refundedNow) = try await store.refund(key, reason: reason, now: Self.now()) else {
            throw PaymentError.notFound(Self.describe(key))
        }
        var logger = logger ?? self.logger
        logger[metadataKey: "order-id"] = "\(payment.orderID)"
        switch payment.status {
        case .declined:
            throw PaymentError.failedPrecondition("payment \(payment.id) was declined; there is nothing to refund")
        case .refunded:
            if refundedNow {
                logger.info("payment refunded", metadata: ["payment-id": "\(payment.id)", "reason": "\(reason)"])
                PaymentMetrics.refunds.increment()
            } else {
                // A retry (the caller lost our first answer): nothing moved this time.
                logger.info("payment already refunded; returning the first refund", metadata: ["payment-id": "\(payment.id)"])
            }
            return payment
        case .approved:
            preconditionFailure("a refund leaves no payment approved")
        }
    }

    /// GetPayment. `paymentID` wins when both are given.
    public func payment(paymentID: String, orderID: String) async throws -> PaymentRecord {
        let key = try Self.key(paymentID: paymentID, orderID: orderID)
        let found: PaymentRecord? =
            switch key {
            case .id(let id): try await store.payment(id: id)
            case .orderID(let orderID): try await store.payment(orderID: orderID)
            }
        guard let found else { throw PaymentError.notFound(Self.describe(key)) }
        return found
    }

    /// A repeat must ask for the same money; it then gets the first answer.
    private static func sameCharge(_ stored: PaymentRecord, _ charge: PaymentCharge) throws -> PaymentRecord {
        guard stored.amountCents == charge.amountCents, stored.currency == charge.currency else {
            throw PaymentError.mismatchedRepeat(orderID: charge.orderID)
        }
        return stored
    }

    private static func key(paymentID: String, orderID: String) throws(PaymentError) -> PaymentKey {
        if !paymentID.isEmpty {
            try PaymentValidation.checkID(paymentID, field: "payment_id", required: true)
            return .id(paymentID)
        }
        guard !orderID.isEmpty else { throw .invalidArgument(field: "payment_id", problem: "payment_id or order_id is required") }
        try PaymentValidation.checkID(orderID, field: "order_id", required: true)
        return .orderID(orderID)
    }

    private static func describe(_ key: PaymentKey) -> String {
        switch key {
        case .id(let id): "payment \(id)"
        case .orderID(let orderID): "payment for order \(orderID)"
        }
    }

    static func now() -> Int64 { Int64((Date.now.timeIntervalSince1970 * 1000).rounded(.down)) }
}

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
