import Contracts

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
