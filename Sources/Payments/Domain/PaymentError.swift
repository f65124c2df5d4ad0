/// Why a payment operation was refused. `RPCError.init(_: PaymentError)` (PaymentsServiceHandler.swift) maps each case to a status.
public enum PaymentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Bad input; the message names the field.
    case invalidArgument(field: String, problem: String)
    /// No payment for this id or order.
    case notFound(String)
    /// The payment's status does not allow the operation (refunding a declined payment).
    case failedPrecondition(String)
    /// The order was already charged with a different amount or currency.
    case mismatchedRepeat(orderID: String)

    public var description: String {
        switch self {
        case .invalidArgument(let field, let problem): "\(field): \(problem)"
        case .notFound(let what): "\(what) not found"
        case .failedPrecondition(let message): message
        case .mismatchedRepeat(let orderID):
            "order \(orderID) was already charged with a different amount or currency"
        }
    }
}

/// Shared input limits: ids are at most 64 bytes with no control characters.
enum PaymentValidation {
    static let maxIDBytes = 64

    static func checkID(_ value: String, field: String, required: Bool) throws(PaymentError) {
        if value.isEmpty {
            guard !required else { throw .invalidArgument(field: field, problem: "is required") }
            return
        }
        let count = value.utf8.count
        guard count <= maxIDBytes else {
            throw .invalidArgument(field: field, problem: "must be at most \(maxIDBytes) bytes, got \(count)")
        }
        // As in Orders: a NUL would be cut off in C strings; no id needs a control character.
        // By code point: a Unicode property lookup per character cost 2 % of a charge's CPU.
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            throw .invalidArgument(field: field, problem: "must not contain control characters (U+0000–U+001F, U+007F–U+009F)")
        }
    }
}
