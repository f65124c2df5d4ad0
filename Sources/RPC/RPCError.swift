/// An RPC failure: a status code, a message for people, and trailing metadata.
///
/// Handlers throw it to end a call with that status. Any other error a handler throws becomes
/// INTERNAL without its text, so internal details never reach the peer.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status sent as `grpc-status`; never `.ok`.
    public var code: StatusCode
    /// Sent as `grpc-message` (percent-encoded); may be empty.
    public var message: String
    /// Sent in the trailers next to `grpc-status`.
    public var metadata: Metadata

    /// An error with this status. Traps on `.ok`: a successful call is not an error.
    public init(code: StatusCode, message: String, metadata: Metadata = [:]) {
        precondition(code != .ok, "an RPCError cannot have status OK")
        self.code = code
        self.message = message
        self.metadata = metadata
    }

    /// `CODE: message`, or the code name alone.
    public var description: String { message.isEmpty ? code.name : "\(code.name): \(message)" }
}

extension RPCError {
    // Shorthands for the statuses handlers throw most: each is `RPCError(code:message:)` with that code.

    /// INVALID_ARGUMENT: the request is malformed whatever the server's state.
    public static func invalidArgument(_ message: String) -> RPCError { .init(code: .invalidArgument, message: message) }
    /// NOT_FOUND: the entity the request names does not exist.
    public static func notFound(_ message: String) -> RPCError { .init(code: .notFound, message: message) }
    /// FAILED_PRECONDITION: the system's state does not allow the operation (retrying will not help).
    public static func failedPrecondition(_ message: String) -> RPCError { .init(code: .failedPrecondition, message: message) }
    /// ALREADY_EXISTS: what the request would create exists already.
    public static func alreadyExists(_ message: String) -> RPCError { .init(code: .alreadyExists, message: message) }
    /// UNAVAILABLE: a transient failure; the caller may retry, with backoff.
    public static func unavailable(_ message: String) -> RPCError { .init(code: .unavailable, message: message) }
    /// UNAUTHENTICATED: no valid credentials.
    public static func unauthenticated(_ message: String) -> RPCError { .init(code: .unauthenticated, message: message) }
    /// INTERNAL: a broken invariant. Say nothing in `message` a client should not see.
    public static func `internal`(_ message: String) -> RPCError { .init(code: .internal, message: message) }
    /// UNIMPLEMENTED: the method or the feature asked for is not served.
    public static func unimplemented(_ message: String) -> RPCError { .init(code: .unimplemented, message: message) }
    /// RESOURCE_EXHAUSTED: a limit was hit (size, quota, overload).
    public static func resourceExhausted(_ message: String) -> RPCError { .init(code: .resourceExhausted, message: message) }
    /// DEADLINE_EXCEEDED: the deadline passed before the operation finished.
    public static func deadlineExceeded(_ message: String) -> RPCError { .init(code: .deadlineExceeded, message: message) }
    /// CANCELLED: the caller gave up on the call.
    public static func cancelled(_ message: String) -> RPCError { .init(code: .cancelled, message: message) }
}

/// The 17 canonical gRPC status codes (grpc/grpc `doc/statuscodes.md`), raw values 0–16.
public enum StatusCode: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case ok = 0
    case cancelled = 1
    case unknown = 2
    case invalidArgument = 3
    case deadlineExceeded = 4
    case notFound = 5
    case alreadyExists = 6
    case permissionDenied = 7
    case resourceExhausted = 8
    case failedPrecondition = 9
    case aborted = 10
    case outOfRange = 11
    case unimplemented = 12
    case `internal` = 13
    case unavailable = 14
    case dataLoss = 15
    case unauthenticated = 16

    /// The upper-snake-case name gRPC uses in logs and docs, e.g. `INVALID_ARGUMENT`.
    public var name: String {
        switch self {
        case .ok: "OK"
        case .cancelled: "CANCELLED"
        case .unknown: "UNKNOWN"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .deadlineExceeded: "DEADLINE_EXCEEDED"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .failedPrecondition: "FAILED_PRECONDITION"
        case .aborted: "ABORTED"
        case .outOfRange: "OUT_OF_RANGE"
        case .unimplemented: "UNIMPLEMENTED"
        case .internal: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .dataLoss: "DATA_LOSS"
        case .unauthenticated: "UNAUTHENTICATED"
        }
    }

    /// The canonical name, as `name`.
    public var description: String { name }

    /// Parses a `grpc-status` value. Anything outside 0–16 is UNKNOWN, as gRPC clients treat it.
    public init(grpcStatus value: Substring) {
        self = Int(value).flatMap(StatusCode.init(rawValue:)) ?? .unknown
    }
}
