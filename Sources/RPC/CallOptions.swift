/// Per-call settings for a client call.
public struct CallOptions: Sendable {
    /// Sent as `grpc-timeout`; the call fails with DEADLINE_EXCEEDED when it passes.
    public var timeout: Duration?
    /// Custom metadata sent with the request headers.
    public var metadata: Metadata

    public init(timeout: Duration? = nil, metadata: Metadata = [:]) {
        self.timeout = timeout
        self.metadata = metadata
    }

    public static var defaults: CallOptions { CallOptions() }
}
