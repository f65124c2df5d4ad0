/// A request the server accepted as a gRPC call, from its header block.
public struct RequestHead: Sendable, Hashable {
    /// The `:path`, e.g. `/orderhub.v1.Orders/GetOrder`.
    public var path: String
    /// From `grpc-timeout`.
    public var timeout: Duration?
    /// The custom metadata.
    public var metadata: Metadata
    /// The `grpc-encoding` of the request messages, when the client sent one.
    public var encoding: String?
    /// The supported algorithms of the client's `grpc-accept-encoding`: what responses may use.
    public var acceptedEncodings: Set<CompressionAlgorithm>

    /// A request head as the validator builds it (tests build their own).
    public init(
        path: String, timeout: Duration? = nil, metadata: Metadata = [:], encoding: String? = nil,
        acceptedEncodings: Set<CompressionAlgorithm> = []
    ) {
        self.path = path
        self.timeout = timeout
        self.metadata = metadata
        self.encoding = encoding
        self.acceptedEncodings = acceptedEncodings
    }

    /// The algorithm of the request messages, when `encoding` names a supported one.
    public var compression: CompressionAlgorithm? { encoding.flatMap { CompressionAlgorithm(name: $0) } }
}

/// What the server does with a request's header block.
public enum RequestClassification: Sendable, Hashable {
    /// A gRPC call to route.
    case call(RequestHead)
    /// Not a gRPC request: answer with this HTTP status and a short text body saying why (e.g. 415, 405, 400).
    case httpError(status: Int)
    /// A gRPC request that fails at once: a Trailers-Only response with this status.
    case rpcError(RPCError)
}
