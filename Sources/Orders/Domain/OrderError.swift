/// Why an order operation was refused. `OrderError+RPC.swift` maps each case to a status code.
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
