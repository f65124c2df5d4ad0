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
        let logger = CallLogger.make(logger, context: context, orderID: request.orderID)
        return try await CallLogger.run(logger, mapError: RPCError.payments) {
            try await verifier.verify(context.requestMetadata)
            return Payment(try await system.process(
                orderID: request.orderID, amountCents: request.amountCents, currency: request.currency,
                paymentToken: request.paymentToken, customerID: request.customerID, logger: logger
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
