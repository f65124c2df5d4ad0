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

    public init(messageName: String) {
        self.messageName = messageName
    }

    public var description: String { "cannot decode \(messageName)" }
}
