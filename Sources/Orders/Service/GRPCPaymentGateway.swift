import Contracts
import RequestLogging
import RPC
import ServiceAuth

/// The `PaymentGateway` over gRPC: the generated `PaymentsClient` on any client transport,
/// each call carrying a service token (`authorization: Bearer …`) and its deadline.
public struct GRPCPaymentGateway: PaymentGateway {
    private let client: PaymentsClient
    private let signer: ServiceTokenSigner

    public init(transport: any ClientTransport, signer: ServiceTokenSigner) {
        self.client = PaymentsClient(transport: transport)
        self.signer = signer
    }

    /// See `PaymentGateway`.
    public func processPayment(_ charge: ChargeRequest, timeout: Duration) async throws -> PaymentDecision {
        let payment = try await client.processPayment(
            ProcessPaymentRequest(
                orderID: charge.orderID, amountCents: charge.amountCents, currency: charge.currency,
                paymentToken: charge.paymentToken, customerID: charge.customerID
            ),
            options: try await options(timeout: timeout, requestID: charge.requestID)
        )
        return try Self.decision(payment)
    }

    /// See `PaymentGateway`.
    public func refundPayment(_ refund: RefundRequest, timeout: Duration) async throws -> PaymentDecision {
        let payment = try await client.refundPayment(
            RefundPaymentRequest(paymentID: refund.paymentID ?? "", orderID: refund.orderID, reason: refund.reason),
            options: try await options(timeout: timeout, requestID: refund.requestID)
        )
        return try Self.decision(payment)
    }

    private func options(timeout: Duration, requestID: String?) async throws -> CallOptions {
        var options = CallOptions(timeout: timeout)
        options.metadata.replace(ServiceIdentity.metadataKey, try await signer.authorizationValue())
        if let requestID { options.metadata.replace(CallLogger.requestIDKey, requestID) }
        return options
    }

    private static func decision(_ payment: Payment) throws -> PaymentDecision {
        switch payment.status {
        case .approved: return PaymentDecision(paymentID: payment.id, status: .approved)
        case .declined: return PaymentDecision(paymentID: payment.id, status: .declined)
        case .refunded: return PaymentDecision(paymentID: payment.id, status: .refunded)
        case .unspecified, .unrecognized:
            // Not an answer we can act on: ask again rather than guess whether money moved.
            throw RPCError.unavailable("Payments answered without a known payment status")
        }
    }
}
