/// Where a payment is.
public enum PaymentStatus: String, Sendable, Hashable, CaseIterable {
    /// The money was taken.
    case approved
    /// The processor said no; nothing was taken.
    case declined
    /// Taken, then given back.
    case refunded
}
