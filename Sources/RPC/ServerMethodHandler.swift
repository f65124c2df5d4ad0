/// How a server runs one method, on raw message bytes. Generated service registration builds
/// these from typed handlers; the transport calls them.
public enum ServerMethodHandler: Sendable {
    /// One request, one response. The transport collects the whole request first.
    case unary(@Sendable (_ request: [UInt8], _ context: ServerContext) async throws -> UnaryResponse<[UInt8]>)
    /// One request, one response, answered at once when it can be (from memory: a health
    /// status, a cached record). The transport calls it on the connection's event loop without
    /// starting a task; it returns `.now` with the response, or `.later` with the part that
    /// must wait, which then runs in a task as a `.unary` handler would. It must not block.
    /// See `RPCRouter.registerUnary(_:immediate:handler:)`.
    case immediateUnary(@Sendable (_ request: [UInt8], _ context: ServerContext) throws -> UnaryAnswer)
    /// Any number of messages each way (server, client and bidirectional streaming). The
    /// handler returns the trailing metadata; an error thrown ends the call with its status.
    case streaming(@Sendable (_ requests: RPCAsyncSequence<[UInt8]>, _ responses: ServerResponseWriter, _ context: ServerContext) async throws -> Metadata)
}

/// The response side of a streaming server call.
public struct ServerResponseWriter: Sendable {
    private let sendHeaders: @Sendable (Metadata) async throws -> Void
    private let writeMessage: @Sendable ([UInt8], MessageCompression) async throws -> Void
    /// Writes one response message (compressed `.automatic`ally); suspends while flow control
    /// holds it back.
    public let messages: RPCWriter<[UInt8]>

    /// A writer whose transport compresses each message as `write(_:compression:)` asks.
    public init(
        sendInitialMetadata: @escaping @Sendable (Metadata) async throws -> Void,
        write: @escaping @Sendable (_ message: [UInt8], _ compression: MessageCompression) async throws -> Void
    ) {
        self.sendHeaders = sendInitialMetadata
        self.writeMessage = write
        self.messages = RPCWriter { try await write($0, .automatic) }
    }

    /// A writer that never compresses (in-process transports).
    public init(sendInitialMetadata: @escaping @Sendable (Metadata) async throws -> Void, messages: RPCWriter<[UInt8]>) {
        self.sendHeaders = sendInitialMetadata
        self.writeMessage = { message, _ in try await messages.write(message) }
        self.messages = messages
    }

    /// Sends the response headers now, with this custom metadata. Optional: without it the
    /// headers go out with the first message (or as Trailers-Only when there is none).
    /// A second call is ignored.
    public func sendInitialMetadata(_ metadata: Metadata) async throws {
        try await sendHeaders(metadata)
    }

    /// Writes one message, compressed `.automatic`ally; suspends while flow control holds it back
    /// and throws once the call has ended.
    public func write(_ message: [UInt8]) async throws {
        try await messages.write(message)
    }

    /// Writes one message, compressed as `compression` says.
    public func write(_ message: [UInt8], compression: MessageCompression) async throws {
        try await writeMessage(message, compression)
    }
}

/// What a server handler knows about its call besides the request messages.
public struct ServerContext: Sendable {
    /// The method being called.
    public let path: String
    /// The request headers that are custom metadata (no pseudo-headers, no `grpc-*` or
    /// HTTP/2 connection headers).
    public let requestMetadata: Metadata
    /// When the client stops waiting (from `grpc-timeout`); the transport cancels the handler's
    /// task at that instant.
    public let deadline: ContinuousClock.Instant?
    /// The peer address, e.g. `ipv4:127.0.0.1:53211`.
    public let peer: String
    /// The request's `grpc-encoding` when it names a compression algorithm (the call's
    /// messages may be compressed with it; each message's flag says whether it is).
    public let requestEncoding: CompressionAlgorithm?
    /// What the client's `grpc-accept-encoding` allows responses to be compressed with.
    public let acceptedEncodings: Set<CompressionAlgorithm>

    /// A context as the transport builds it for each call (tests build their own).
    public init(
        path: String, requestMetadata: Metadata = [:], deadline: ContinuousClock.Instant? = nil, peer: String = "",
        requestEncoding: CompressionAlgorithm? = nil, acceptedEncodings: Set<CompressionAlgorithm> = []
    ) {
        self.path = path
        self.requestMetadata = requestMetadata
        self.deadline = deadline
        self.peer = peer
        self.requestEncoding = requestEncoding
        self.acceptedEncodings = acceptedEncodings
    }
}
