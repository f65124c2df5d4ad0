import RPC

/// The header blocks a server sends.
enum ServerResponseHeaders {
    /// Response headers with custom metadata, naming the messages' compression algorithm
    /// (`grpc-encoding`) when there is one. Every response advertises what the server accepts.
    static func response(_ metadata: Metadata, encoding: CompressionAlgorithm? = nil) -> HeaderBlock {
        guard !metadata.isEmpty else {
            switch encoding {
            case nil: return .grpcResponse
            case .gzip: return .grpcResponseGzip
            case .deflate: return .grpcResponseDeflate
            }
        }
        let fields = metadata.headerFields
        var block = HeaderBlock(capacity: 4 + fields.count)
        block.add(":status", "200")
        block.add("content-type", "application/grpc")
        block.add("grpc-accept-encoding", CompressionAlgorithm.acceptEncodingHeader)
        if let encoding { block.add("grpc-encoding", encoding.name) }
        block.add(contentsOf: fields)
        return block
    }

    /// Trailers for a successful call.
    static func okTrailers(_ metadata: Metadata) -> HeaderBlock {
        guard !metadata.isEmpty else { return .okTrailers }
        let fields = metadata.headerFields
        var block = HeaderBlock(capacity: 1 + fields.count)
        block.add("grpc-status", "0")
        block.add(contentsOf: fields)
        return block
    }

    /// Trailers for a failed call.
    static func errorTrailers(_ error: RPCError) -> HeaderBlock {
        var block = HeaderBlock(capacity: 3 + error.metadata.count)
        // An UNIMPLEMENTED call may have been refused for its compression: say what works.
        if error.code == .unimplemented { block.add("grpc-accept-encoding", CompressionAlgorithm.acceptEncodingHeader) }
        addStatus(error, to: &block)
        return block
    }

    /// A Trailers-Only response: one HEADERS frame with END_STREAM. It says what the server
    /// accepts, so a client refused for its `grpc-encoding` learns what to use instead.
    static func trailersOnly(_ error: RPCError) -> HeaderBlock {
        var block = HeaderBlock(capacity: 5 + error.metadata.count)
        block.add(":status", "200")
        block.add("content-type", "application/grpc")
        block.add("grpc-accept-encoding", CompressionAlgorithm.acceptEncodingHeader)
        addStatus(error, to: &block)
        return block
    }

    /// A Trailers-Only OK response with metadata (a handler that sent nothing).
    static func trailersOnlyOK(_ metadata: Metadata) -> HeaderBlock {
        var block = HeaderBlock(capacity: 4 + metadata.count)
        block.add(":status", "200")
        block.add("content-type", "application/grpc")
        block.add("grpc-accept-encoding", CompressionAlgorithm.acceptEncodingHeader)
        block.add("grpc-status", "0")
        block.add(contentsOf: metadata.headerFields)
        return block
    }

    /// A plain HTTP response for a request that is not gRPC: the status and a `text/plain` body
    /// of `bodyLength` bytes (see `httpBody`).
    static func http(status: Int, bodyLength: Int) -> HeaderBlock {
        var block = HeaderBlock(capacity: 5)
        block.add(":status", String(status))
        if status == 405 { block.add("allow", "POST") }
        if status == 415 { block.add("accept", "application/grpc") }
        block.add("content-type", "text/plain; charset=utf-8")
        block.add("content-length", String(bodyLength))
        return block
    }

    /// The body of that response: what was wrong, in one line, as grpc-go answers. Never empty: a
    /// peer that waits for DATA on the stream (a flow-control test on a half-closed stream) must
    /// get some, not a HEADERS frame with END_STREAM alone. Echoed values are cut short.
    static func httpBody(status: Int, method: String?, contentType: String?) -> String {
        switch status {
        case 405:
            return "method \(shown(method)) is not allowed; gRPC uses POST\n"
        case 415:
            return "unsupported content type: \(shown(contentType)); gRPC uses application/grpc\n"
        default:
            return "malformed request: not a valid gRPC request\n"
        }
    }

    private static func shown(_ value: String?) -> String {
        guard let value else { return "(none)" }
        return value.count > 64 ? value.prefix(64) + "…" : value
    }

    private static func addStatus(_ error: RPCError, to block: inout HeaderBlock) {
        block.add("grpc-status", String(error.code.rawValue))
        if !error.message.isEmpty { block.add("grpc-message", PercentEncoding.encode(error.message)) }
        block.add(contentsOf: error.metadata.headerFields)
    }
}
