/// Why a `PaymentGateway` call failed, in the terms the dispatcher acts on. The gateway
/// decides the kind (`GRPCPaymentGateway` from the call's status); `message` is for logs and
/// for the readiness reason.
public struct PaymentGatewayError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the failure means for the payment.
    public enum Kind: Sendable, Hashable {
        /// Payments refused this charge for good (a malformed token, an amount out of range):
        /// nothing was charged, and asking again gets the same answer.
        case refused
        /// There is no approved payment to give back (a refund of a declined or unknown one).
        case nothingToRefund
        /// Payments refused the caller (a wrong service secret, certificate or address): only
        /// an operator can fix it; the charge itself is untouched.
        case callerRejected
        /// Payments was not reached or did not answer in time: ask again.
        case unreachable
        /// Payments answered with another failure: ask again.
        case failed
    }

    /// What the failure means.
    public var kind: Kind
    /// What happened, for logs.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
