import RequestLogging
import Contracts
import Logging
import RPC
import ServiceAuth

/// The gRPC face of the Payments domain. Every call must carry a valid service token
/// (UNAUTHENTICATED otherwise); failures become statuses through `RPCError.payments(_:)`.
public struct PaymentsServiceHandler: PaymentsService {
    private let system: PaymentSystem
    private let verifier: ServiceTokenVerifier
    private let logger: Logger

    public init(system: PaymentSystem, verifier: ServiceTokenVerifier, logger: Logger) {
        self.system = system
        self.verifier = verifier
        self.logger = logger
    }

    /// ProcessPayment: idempotent per order id.
    public func processPayment(_ request: ProcessPaymentRequest, context: ServerContext) async throws -> Payment {
        // The domain logs only info lines with it; at a quieter level the call's metadata would be
        // built for nothing on every payment. A failure still gets it (`run` builds it then).
        let callLogger = logger.logLevel <= .info ? CallLogger.make(logger, context: context, orderID: request.orderID) : nil
        return try await CallLogger.run(callLogger ?? CallLogger.make(logger, context: context, orderID: request.orderID), mapError: RPCError.payments) {
            try await verifier.verify(context.requestMetadata)
            return Payment(
                try await system.process(
                    orderID: request.orderID, amountCents: request.amountCents, currency: request.currency,
                    paymentToken: request.paymentToken, customerID: request.customerID, logger: callLogger ?? logger
                ))
        }
    }

    /// RefundPayment: idempotent.
    public func refundPayment(_ request: RefundPaymentRequest, context: ServerContext) async throws -> Payment {
        let logger = CallLogger.make(logger, context: context, orderID: request.orderID)
        return try await CallLogger.run(logger, mapError: RPCError.payments) {
            try await verifier.verify(context.requestMetadata)
            return Payment(try await system.refund(paymentID: request.paymentID, orderID: request.orderID, reason: request.reason, logger: logger))
        }
    }

    /// GetPayment.
    public func getPayment(_ request: GetPaymentRequest, context: ServerContext) async throws -> Payment {
        let logger = CallLogger.make(logger, context: context, orderID: request.orderID)
        return try await CallLogger.run(logger, mapError: RPCError.payments) {
            try await verifier.verify(context.requestMetadata)
            return Payment(try await system.payment(paymentID: request.paymentID, orderID: request.orderID))
        }
    }
}

/// The one place where Payments' failures become gRPC statuses.
extension RPCError {
    /// The status for a refused payment operation.
    public init(_ error: PaymentError) {
        switch error {
        case .invalidArgument: self = .invalidArgument(error.description)
        case .notFound: self = .notFound(error.description)
        case .failedPrecondition: self = .failedPrecondition(error.description)
        case .mismatchedRepeat: self = .alreadyExists(error.description)
        }
    }

    /// The status for any failure of a Payments operation: the domain's own refusals here,
    /// storage failures and the rest as every service maps them (`serviceFailure(_:)`).
    public static func payments(_ error: any Error) -> RPCError {
        if let error = error as? PaymentError { return RPCError(error) }
        return .serviceFailure(error)
    }
}

/// Proto ↔ domain conversions for the Payments service.
extension Contracts.Payment {
    /// The wire form of a stored payment.
    public init(_ payment: PaymentRecord) {
        self.init(
            id: payment.id, orderID: payment.orderID, status: Contracts.PaymentStatus(payment.status),
            amountCents: payment.amountCents, currency: payment.currency, declineReason: payment.declineReason ?? "",
            createdAt: payment.createdAt, updatedAt: payment.updatedAt, refundedAt: payment.refundedAt ?? 0
        )
    }
}

extension Contracts.PaymentStatus {
    public init(_ status: PaymentStatus) {
        switch status {
        case .approved: self = .approved
        case .declined: self = .declined
        case .refunded: self = .refunded
        }
    }
}
