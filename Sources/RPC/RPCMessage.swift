/// A message that travels in an RPC: encoded to and decoded from protobuf bytes.
///
/// Generated message structs conform; decoding malformed bytes throws, never crashes.
public protocol RPCMessage: Sendable {
    /// Decodes protobuf bytes. Throws `MessageDecodingError` on malformed input.
    init(serializedBytes: [UInt8]) throws
    /// Encodes to protobuf bytes.
    func serializedBytes() -> [UInt8]
}

/// A message could not be decoded from its bytes.
public struct MessageDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message type that failed, e.g. `orderhub.v1.CreateOrderRequest`.
    public var messageName: String

    /// A failure to decode the message type called `messageName`.
    public init(messageName: String) {
        self.messageName = messageName
    }

    /// What an INVALID_ARGUMENT (server) or INTERNAL (client) status says about it.
    public var description: String { "cannot decode \(messageName)" }
}

/// Names one RPC method: `/orderhub.v1.Orders/CreateOrder` is service `orderhub.v1.Orders`,
/// method `CreateOrder`.
public struct MethodDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// How many messages each side sends.
    public enum Kind: Sendable, Hashable {
        /// One request, one response.
        case unary
        /// One request, any number of responses.
        case serverStreaming
        /// Any number of requests, one response.
        case clientStreaming
        /// Any number of messages each way, interleaved as the two sides like.
        case bidirectionalStreaming
    }

    /// The fully qualified service name, e.g. `orderhub.v1.Orders`.
    public let service: String
    /// The method name, e.g. `CreateOrder`.
    public let method: String
    /// How many messages each side sends.
    public let kind: Kind
    /// The HTTP/2 `:path`, built once.
    public let path: String

    /// A method of `service` (fully qualified, without a leading dot).
    public init(service: String, method: String, kind: Kind = .unary) {
        self.service = service
        self.method = method
        self.kind = kind
        self.path = "/\(service)/\(method)"
    }

    /// The `:path`, e.g. `/orderhub.v1.Orders/CreateOrder`.
    public var description: String { path }
}
