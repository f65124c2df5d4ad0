/// The response side of a streaming client call, handed to the caller once the server's
/// response headers have arrived.
public struct StreamingClientResponse<Message: Sendable>: Sendable {
    /// The response headers' custom metadata.
    public let initialMetadata: Metadata
    /// The response messages. Ends normally on `grpc-status: 0`; otherwise throws the
    /// `RPCError` from the trailers (its `metadata` holds the trailing metadata).
    public let messages: RPCAsyncSequence<Message>
    private let trailers: @Sendable () async throws -> Metadata

    public init(
        initialMetadata: Metadata,
        messages: RPCAsyncSequence<Message>,
        trailingMetadata: @escaping @Sendable () async throws -> Metadata
    ) {
        self.initialMetadata = initialMetadata
        self.messages = messages
        self.trailers = trailingMetadata
    }

    /// The trailers' custom metadata; waits until the call has ended.
    public func trailingMetadata() async throws -> Metadata {
        try await trailers()
    }

    /// The same response with converted messages.
    public func map<T: Sendable>(_ transform: @escaping @Sendable (Message) throws -> T) -> StreamingClientResponse<T> {
        StreamingClientResponse<T>(initialMetadata: initialMetadata, messages: messages.map(transform), trailingMetadata: trailers)
    }
}
