/// An RPC failure: a status code, a message for people, and trailing metadata.
///
/// Handlers throw it to end a call with that status. Any other error a handler throws becomes
/// INTERNAL without its text, so internal details never reach the peer.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: StatusCode
    public var message: String
    /// Sent in the trailers next to `grpc-status`.
    public var metadata: Metadata

    public init(code: StatusCode, message: String, metadata: Metadata = [:]) {
        precondition(code != .ok, "an RPCError cannot have status OK")
        self.code = code
        self.message = message
        self.metadata = metadata
    }

    public var description: String { message.isEmpty ? code.name : "\(code.name): \(message)" }
}

extension RPCError {
    public static func invalidArgument(_ message: String) -> RPCError { .init(code: .invalidArgument, message: message) }
    public static func notFound(_ message: String) -> RPCError { .init(code: .notFound, message: message) }
    public static func failedPrecondition(_ message: String) -> RPCError { .init(code: .failedPrecondition, message: message) }
    public static func alreadyExists(_ message: String) -> RPCError { .init(code: .alreadyExists, message: message) }
    public static func unavailable(_ message: String) -> RPCError { .init(code: .unavailable, message: message) }
    public static func unauthenticated(_ message: String) -> RPCError { .init(code: .unauthenticated, message: message) }
    public static func `internal`(_ message: String) -> RPCError { .init(code: .internal, message: message) }
    public static func unimplemented(_ message: String) -> RPCError { .init(code: .unimplemented, message: message) }
    public static func resourceExhausted(_ message: String) -> RPCError { .init(code: .resourceExhausted, message: message) }
    public static func deadlineExceeded(_ message: String) -> RPCError { .init(code: .deadlineExceeded, message: message) }
    public static func cancelled(_ message: String) -> RPCError { .init(code: .cancelled, message: message) }
}
