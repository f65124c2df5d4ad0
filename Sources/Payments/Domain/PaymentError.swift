/// Why a payment operation was refused. `PaymentError+RPC.swift` maps each case to a status.
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
