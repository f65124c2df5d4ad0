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

/// A payment token: `tok_` followed by 1–60 of `[A-Za-z0-9_]`. Two test tokens decide
/// deterministically; every other token goes to the random processor.
public struct PaymentToken: Sendable, Hashable {
    /// What the token asks of the processor.
    public enum Kind: Sendable, Hashable {
        case alwaysApprove
        case alwaysDecline
        case random
    }

    public let value: String

    /// Throws `PaymentError.invalidArgument` for an empty or malformed token.
    public init(_ value: String) throws(PaymentError) {
        guard !value.isEmpty else { throw .invalidArgument(field: "payment_token", problem: "is required") }
        let body = value.utf8.dropFirst(4)
        guard value.hasPrefix("tok_"), (1...60).contains(body.count), body.allSatisfy(Self.isTokenByte) else {
            throw .invalidArgument(field: "payment_token", problem: "must be tok_ followed by 1 to 60 letters, digits or underscores")
        }
        self.value = value
    }

    public var kind: Kind {
        switch value {
        case "tok_approve": .alwaysApprove
        case "tok_decline": .alwaysDecline
        default: .random
        }
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}
