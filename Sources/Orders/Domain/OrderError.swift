/// Why an order operation was refused. `RPCError.init(_: OrderError)` (OrdersServiceHandler.swift) maps each case to a status code.
public enum OrderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Bad input; the message names the field.
    case invalidArgument(field: String, problem: String)
    /// No order with this id.
    case notFound(orderID: String)
    /// The idempotency key was used before with a different payload.
    case requestIDReused(requestID: String)
    /// The order's state does not allow the operation.
    case failedPrecondition(String)
    /// The caller may not do this (a customer acting for another customer).
    case permissionDenied(String)
    /// A position outside what is kept (an order feed cursor whose events were pruned).
    case outOfRange(String)
    /// The caller used more than its share (an order feed consumer that fell behind).
    case resourceExhausted(String)

    public var description: String {
        switch self {
        case .invalidArgument(let field, let problem): "\(field): \(problem)"
        case .notFound(let orderID): "order \(orderID) not found"
        case .requestIDReused(let requestID):
            "request_id \(requestID) was already used for a different order request"
        case .failedPrecondition(let message): message
        case .permissionDenied(let message): message
        case .outOfRange(let message): message
        case .resourceExhausted(let message): message
        }
    }
}

/// Limits shared by the validation rules.
enum OrderValidation {
    /// Ids, SKUs, tokens and keys are at most this many UTF-8 bytes.
    static let maxIDBytes = 64
    static let maxItems = 100

    /// A required id: 1–64 bytes, no control characters.
    static func checkID(_ value: String, field: String) throws(OrderError) {
        guard !value.isEmpty else { throw .invalidArgument(field: field, problem: "is required") }
        let count = value.utf8.count
        guard count <= maxIDBytes else {
            throw .invalidArgument(field: field, problem: "must be at most \(maxIDBytes) bytes, got \(count)")
        }
        // A NUL would be cut off on the way through C strings, and control characters in ids
        // and SKUs are never meant: refuse them rather than store something else.
        // The control characters (general category Cc) are exactly these two ranges; checking
        // them directly costs a comparison per character, where the Unicode property lookup was
        // a sixth of a GetOrder's CPU.
        guard !Self.containsControlCharacter(value) else {
            throw .invalidArgument(field: field, problem: "must not contain control characters (U+0000–U+001F, U+007F–U+009F)")
        }
    }

    /// Whether `value` holds a control character. Ids are nearly always ASCII, where a byte
    /// comparison decides; only text with other characters is walked by code point (U+0080–U+009F
    /// are two UTF-8 bytes each).
    static func containsControlCharacter(_ value: String) -> Bool {
        var ascii = true
        for byte in value.utf8 {
            if byte < 0x20 || byte == 0x7F { return true }
            if byte >= 0x80 { ascii = false }
        }
        return !ascii && value.unicodeScalars.contains { (0x80...0x9F).contains($0.value) }
    }
}

/// ISO-4217 codes of circulating currencies (funds, precious metals and test codes left out:
/// nobody pays for an order in XAU).
public enum CurrencyCode {
    /// Every code accepted on an order.
    public static let known: Set<String> = [
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD",
        "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY",
        "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP",
        "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
        "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT",
        "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR",
        "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK",
        "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD",
        "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
        "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG",
        "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
    ]

    /// Three upper-case ASCII letters that name a known currency.
    public static func isKnown(_ code: String) -> Bool {
        let utf8 = code.utf8
        guard utf8.count == 3, utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else { return false }
        return known.contains(code)
    }
}
