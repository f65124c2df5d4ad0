import Contracts
import RequestLogging
import RPC
import ServiceAuth

/// The `PaymentGateway` over gRPC: the generated `PaymentsClient` on any client transport,
/// each call carrying a service token (`authorization: Bearer …`) and its deadline. A call's
/// failure status becomes a `PaymentGatewayError` (`kind(of:call:)`).
public struct GRPCPaymentGateway: PaymentGateway {
    private let client: PaymentsClient
    private let signer: ServiceTokenSigner

    public init(transport: any ClientTransport, signer: ServiceTokenSigner) {
        self.client = PaymentsClient(transport: transport)
        self.signer = signer
    }

    /// See `PaymentGateway`.
    public func processPayment(_ charge: ChargeRequest, timeout: Duration) async throws -> PaymentDecision {
        let payment = try await Self.mappingStatus(of: .charge) {
            try await client.processPayment(
                ProcessPaymentRequest(
                    orderID: charge.orderID, amountCents: charge.amountCents, currency: charge.currency,
                    paymentToken: charge.paymentToken, customerID: charge.customerID
                ),
                options: try await options(timeout: timeout, requestID: charge.requestID)
            )
        }
        return try Self.decision(payment)
    }

    /// See `PaymentGateway`.
    public func refundPayment(_ refund: RefundRequest, timeout: Duration) async throws -> PaymentDecision {
        let payment = try await Self.mappingStatus(of: .refund) {
            try await client.refundPayment(
                RefundPaymentRequest(paymentID: refund.paymentID ?? "", orderID: refund.orderID, reason: refund.reason),
                options: try await options(timeout: timeout, requestID: refund.requestID)
            )
        }
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
            throw PaymentGatewayError(.unreachable, "Payments answered without a known payment status")
        }
    }

    /// The two calls, whose statuses mean different things.
    enum Call {
        case charge, refund
    }

    /// What a call's failure status means. ProcessPayment: INVALID_ARGUMENT,
    /// FAILED_PRECONDITION and OUT_OF_RANGE refuse the charge for good. RefundPayment:
    /// NOT_FOUND and FAILED_PRECONDITION say there is nothing to refund. Both:
    /// UNAUTHENTICATED, PERMISSION_DENIED and UNIMPLEMENTED reject the caller (the deployment
    /// is wrong); UNAVAILABLE, DEADLINE_EXCEEDED and CANCELLED are the network.
    static func kind(of code: StatusCode, call: Call) -> PaymentGatewayError.Kind {
        switch (code, call) {
        case (.invalidArgument, .charge), (.failedPrecondition, .charge), (.outOfRange, .charge): .refused
        case (.notFound, .refund), (.failedPrecondition, .refund): .nothingToRefund
        case (.unauthenticated, _), (.permissionDenied, _), (.unimplemented, _): .callerRejected
        case (.unavailable, _), (.deadlineExceeded, _), (.cancelled, _): .unreachable
        default: .failed
        }
    }

    /// Runs a call, its failure status as a `PaymentGatewayError`; other errors (the token
    /// could not be made) pass unchanged.
    private static func mappingStatus<T>(of call: Call, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RPCError {
            throw PaymentGatewayError(kind(of: error.code, call: call), error.description)
        }
    }
}
