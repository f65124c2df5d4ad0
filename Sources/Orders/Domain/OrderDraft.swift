import Crypto
import StorageSupport

/// A create-order request as received, before validation.
public struct OrderRequest: Sendable, Hashable {
    public var customerID: String
    public var items: [OrderLine]
    public var currency: String
    public var paymentToken: String
    /// The idempotency key; empty means none.
    public var requestID: String

    public init(customerID: String, items: [OrderLine], currency: String, paymentToken: String, requestID: String = "") {
        self.customerID = customerID
        self.items = items
        self.currency = currency
        self.paymentToken = paymentToken
        self.requestID = requestID
    }
}

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

/// A create-order request that passed validation, with its total and the fingerprint of its
/// payload (what an idempotent retry must match).
public struct OrderDraft: Sendable, Hashable {
    public let customerID: String
    public let items: [OrderLine]
    public let currency: String
    public let paymentToken: String
    /// The idempotency key, when the client sent one.
    public let requestID: String?
    /// The idempotency key as stored: the client's key within the order's customer, so one
    /// customer's key can never find (or block) another customer's order, while a retry by
    /// the same customer (or an admin acting for them) finds the first order.
    public let idempotencyKey: String?
    /// Sum of quantity × unit price, checked for overflow.
    public let totalCents: Int64
    /// SHA-256 (hex) of the canonical payload: every field but the idempotency key.
    public let payloadHash: String

    /// Validates `request` (the field rules are in `Protos/orderhub/v1/orders.proto`): throws `OrderError.invalidArgument` naming the field.
    public init(validating request: OrderRequest) throws(OrderError) {
        try OrderValidation.checkID(request.customerID, field: "customer_id")
        guard (1...OrderValidation.maxItems).contains(request.items.count) else {
            throw .invalidArgument(field: "items", problem: "must have 1 to \(OrderValidation.maxItems) items, got \(request.items.count)")
        }
        var total: Int64 = 0
        for (index, item) in request.items.enumerated() {
            try OrderValidation.checkID(item.sku, field: "items[\(index)].sku")
            guard item.quantity >= 1 else {
                throw .invalidArgument(field: "items[\(index)].quantity", problem: "must be at least 1, got \(item.quantity)")
            }
            guard item.unitPriceCents >= 0 else {
                throw .invalidArgument(field: "items[\(index)].unit_price_cents", problem: "must not be negative, got \(item.unitPriceCents)")
            }
            let (line, lineOverflow) = item.unitPriceCents.multipliedReportingOverflow(by: Int64(item.quantity))
            let (sum, sumOverflow) = total.addingReportingOverflow(line)
            guard !lineOverflow, !sumOverflow else {
                throw .invalidArgument(field: "items", problem: "the order total overflows a 64-bit number of cents")
            }
            total = sum
        }
        guard CurrencyCode.isKnown(request.currency) else {
            throw .invalidArgument(field: "currency", problem: "must be an ISO-4217 code of three upper-case letters, got \"\(request.currency)\"")
        }
        try OrderValidation.checkID(request.paymentToken, field: "payment_token")
        if !request.requestID.isEmpty {
            try OrderValidation.checkID(request.requestID, field: "request_id")
        }
        self.customerID = request.customerID
        self.items = request.items
        self.currency = request.currency
        self.paymentToken = request.paymentToken
        self.requestID = request.requestID.isEmpty ? nil : request.requestID
        // Length-prefixed, so no customer/key pair reads as another.
        self.idempotencyKey =
            request.requestID.isEmpty
            ? nil : "\(request.customerID.utf8.count):\(request.customerID):\(request.requestID)"
        self.totalCents = total
        self.payloadHash = Self.fingerprint(of: request)
    }

    /// Length-prefixed fields, so no two different payloads serialise alike.
    private static func fingerprint(of request: OrderRequest) -> String {
        var bytes: [UInt8] = []
        func append(_ text: String) {
            let utf8 = Array(text.utf8)
            append(Int64(utf8.count))
            bytes += utf8
        }
        func append(_ number: Int64) {
            withUnsafeBytes(of: number.bigEndian) { bytes += $0 }
        }
        append(request.customerID)
        append(request.currency)
        append(request.paymentToken)
        append(Int64(request.items.count))
        for item in request.items {
            append(item.sku)
            append(Int64(item.quantity))
            append(item.unitPriceCents)
        }
        return LowercaseHex.text(of: Array(SHA256.hash(data: bytes)))
    }
}
