/// One line of an order: a stock keeping unit, a quantity and a unit price.
public struct OrderLine: Sendable, Hashable {
    /// 1–64 bytes.
    public var sku: String
    /// At least 1.
    public var quantity: Int32
    /// In the smallest currency unit, at least 0.
    public var unitPriceCents: Int64

    public init(sku: String, quantity: Int32, unitPriceCents: Int64) {
        self.sku = sku
        self.quantity = quantity
        self.unitPriceCents = unitPriceCents
    }
}
