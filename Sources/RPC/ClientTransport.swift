/// What a client needs from a transport, on raw message bytes. `RPCClient` and the generated
/// stubs sit on top of it.
public protocol ClientTransport: Sendable {
    /// One request, one response. Throws `RPCError` for every non-OK status, including
    /// UNAVAILABLE when no connection can be made and DEADLINE_EXCEEDED when
    /// `options.timeout` passes.
    func unary(method: MethodDescriptor, request: [UInt8], options: CallOptions) async throws -> UnaryResponse<[UInt8]>

    /// Any streaming call. `requestProducer` writes the requests; the request stream is
    /// half-closed when it returns. `onResponse` runs once the response headers arrive, and
    /// the call ends (cancelling the stream if still open) when it returns. A Trailers-Only
    /// error response throws its `RPCError` without calling `onResponse`.
    func streaming<Result: Sendable>(
        method: MethodDescriptor,
        options: CallOptions,
        requestProducer: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: @escaping @Sendable (StreamingClientResponse<[UInt8]>) async throws -> Result
    ) async throws -> Result
}

/// Per-call settings for a client call.
public struct CallOptions: Sendable {
    /// Sent as `grpc-timeout`; the call fails with DEADLINE_EXCEEDED when it passes.
    public var timeout: Duration?
    /// Custom metadata sent with the request headers.
    public var metadata: Metadata
    /// Compresses the request messages with this algorithm (sent as `grpc-encoding`); nil uses
    /// the transport's setting.
    public var compression: CompressionAlgorithm?

    /// Options for one call; each left out falls back to the transport's configuration.
    public init(timeout: Duration? = nil, metadata: Metadata = [:], compression: CompressionAlgorithm? = nil) {
        self.timeout = timeout
        self.metadata = metadata
        self.compression = compression
    }

    /// No timeout of its own, no metadata, the transport's compression.
    public static var defaults: CallOptions { CallOptions() }
}

/// The response side of a streaming client call, handed to the caller once the server's
/// response headers have arrived.
public struct StreamingClientResponse<Message: Sendable>: Sendable {
    /// The response headers' custom metadata.
    public let initialMetadata: Metadata
    /// The response messages. Ends normally on `grpc-status: 0`; otherwise throws the
    /// `RPCError` from the trailers (its `metadata` holds the trailing metadata).
    public let messages: RPCAsyncSequence<Message>
    private let trailers: @Sendable () async throws -> Metadata

    /// Built by transports. `trailingMetadata` must wait until the call has ended and then
    /// return the trailers' metadata, or throw the call's `RPCError`.
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

/// A single response message with the metadata around it: what a unary or client-streaming
/// call returns on the client, and what a handler may return on the server.
public struct UnaryResponse<Message: Sendable>: Sendable {
    /// The one response message.
    public var message: Message
    /// Sent as (or received from) the response headers.
    public var initialMetadata: Metadata
    /// Sent as (or received from) the trailers, next to `grpc-status: 0`.
    public var trailingMetadata: Metadata
    /// On the server: whether the message is compressed (see `MessageCompression`). Unused on
    /// the client.
    public var compression: MessageCompression

    /// A response with no metadata and `.automatic` compression unless told otherwise.
    public init(
        message: Message, initialMetadata: Metadata = [:], trailingMetadata: Metadata = [:],
        compression: MessageCompression = .automatic
    ) {
        self.message = message
        self.initialMetadata = initialMetadata
        self.trailingMetadata = trailingMetadata
        self.compression = compression
    }

    /// The same metadata around a converted message.
    public func map<T: Sendable>(_ transform: (Message) throws -> T) rethrows -> UnaryResponse<T> {
        UnaryResponse<T>(
            message: try transform(message), initialMetadata: initialMetadata, trailingMetadata: trailingMetadata,
            compression: compression)
    }
}
