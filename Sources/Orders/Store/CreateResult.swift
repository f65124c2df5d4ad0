/// What `OrderStore.create` returns.
public struct CreateResult: Sendable, Hashable {
    /// The order: new, or the one first created with the same idempotency key.
    public var order: OrderRecord
    /// False when an earlier request with the same key and payload created it.
    public var isNew: Bool

    public init(order: OrderRecord, isNew: Bool) {
        self.order = order
        self.isNew = isNew
    }
}
