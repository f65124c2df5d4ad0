/// Per-call settings for a client call.
public struct CallOptions: Sendable {
    /// Sent as `grpc-timeout`; the call fails with DEADLINE_EXCEEDED when it passes.
    public var timeout: Duration?
    /// Custom metadata sent with the request headers.
    public var metadata: Metadata
    /// Compresses the request messages with this algorithm (sent as `grpc-encoding`); nil uses
    /// the transport's setting.
    public var compression: CompressionAlgorithm?

    public init(timeout: Duration? = nil, metadata: Metadata = [:], compression: CompressionAlgorithm? = nil) {
        self.timeout = timeout
        self.metadata = metadata
        self.compression = compression
    }

    public static var defaults: CallOptions { CallOptions() }
}
