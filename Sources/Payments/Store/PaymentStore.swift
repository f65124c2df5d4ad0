/// Durable storage of payments: one per order, the order id a unique key. SQLite now;
/// PostgreSQL can follow (nothing here names a dialect).
public protocol PaymentStore: Sendable {
    /// Inserts the payment unless one exists for its order; returns the stored payment (the
    /// first one on a repeat) and whether this call inserted it. Durable on return.
    func insertIfAbsent(_ payment: PaymentRecord) async throws -> (payment: PaymentRecord, isNew: Bool)

    /// The payment with this id, or nil.
    func payment(id: String) async throws -> PaymentRecord?

    /// The payment for this order, or nil.
    func payment(orderID: String) async throws -> PaymentRecord?

    /// Moves an approved payment to refunded with one conditional write; returns the stored
    /// payment afterwards (unchanged when it was not approved), or nil when there is none.
    func refund(_ key: PaymentKey, reason: String, now: Int64) async throws -> PaymentRecord?

    /// Finishes queued writes and closes the database.
    func close() async throws
}

/// Names a payment by its id or by its order.
public enum PaymentKey: Sendable, Hashable {
    case id(String)
    case orderID(String)
}
