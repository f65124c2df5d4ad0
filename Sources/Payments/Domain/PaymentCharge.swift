/// A ProcessPayment request, validated: what the processor decides on.
public struct PaymentCharge: Sendable, Hashable {
    public let orderID: String
    public let amountCents: Int64
    public let currency: String
    public let token: PaymentToken
    public let customerID: String

    /// Validates a request; throws `PaymentError.invalidArgument` naming the field.
    public init(orderID: String, amountCents: Int64, currency: String, paymentToken: String, customerID: String) throws(PaymentError) {
        try PaymentValidation.checkID(orderID, field: "order_id", required: true)
        guard amountCents >= 0 else {
            throw .invalidArgument(field: "amount_cents", problem: "must not be negative, got \(amountCents)")
        }
        let utf8 = currency.utf8
        guard utf8.count == 3, utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else {
            throw .invalidArgument(field: "currency", problem: "must be an ISO-4217 code of three upper-case letters")
        }
        try PaymentValidation.checkID(customerID, field: "customer_id", required: false)
        self.token = try PaymentToken(paymentToken)
        self.orderID = orderID
        self.amountCents = amountCents
        self.currency = currency
        self.customerID = customerID
    }
}
