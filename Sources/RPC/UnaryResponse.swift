/// A single response message with the metadata around it: what a unary or client-streaming
/// call returns on the client, and what a handler may return on the server.
public struct UnaryResponse<Message: Sendable>: Sendable {
    public var message: Message
    /// Sent as (or received from) the response headers.
    public var initialMetadata: Metadata
    /// Sent as (or received from) the trailers, next to `grpc-status: 0`.
    public var trailingMetadata: Metadata
    /// On the server: whether the message is compressed (see `MessageCompression`). Unused on
    /// the client.
    public var compression: MessageCompression

    public init(message: Message, initialMetadata: Metadata = [:], trailingMetadata: Metadata = [:],
                compression: MessageCompression = .automatic) {
        self.message = message
        self.initialMetadata = initialMetadata
        self.trailingMetadata = trailingMetadata
        self.compression = compression
    }

    /// The same metadata around a converted message.
    public func map<T: Sendable>(_ transform: (Message) throws -> T) rethrows -> UnaryResponse<T> {
        UnaryResponse<T>(message: try transform(message), initialMetadata: initialMetadata, trailingMetadata: trailingMetadata,
                         compression: compression)
    }
}
