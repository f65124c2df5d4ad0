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

    public init(path: String, requestMetadata: Metadata = [:], deadline: ContinuousClock.Instant? = nil, peer: String = "",
                requestEncoding: CompressionAlgorithm? = nil, acceptedEncodings: Set<CompressionAlgorithm> = []) {
        self.path = path
        self.requestMetadata = requestMetadata
        self.deadline = deadline
        self.peer = peer
        self.requestEncoding = requestEncoding
        self.acceptedEncodings = acceptedEncodings
    }
}
