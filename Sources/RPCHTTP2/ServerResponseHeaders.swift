import RPC

/// The header blocks a server sends.
enum ServerResponseHeaders {
    /// Response headers with custom metadata.
    static func response(_ metadata: Metadata) -> HeaderBlock {
        guard !metadata.isEmpty else { return .grpcResponse }
        let fields = metadata.headerFields
        var block = HeaderBlock(capacity: 2 + fields.count)
        block.add(":status", "200")
        block.add("content-type", "application/grpc")
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
        var block = HeaderBlock(capacity: 2 + error.metadata.count)
        addStatus(error, to: &block)
        return block
    }

    /// A Trailers-Only response: one HEADERS frame with END_STREAM.
    static func trailersOnly(_ error: RPCError) -> HeaderBlock {
        var block = HeaderBlock(capacity: 4 + error.metadata.count)
        block.add(":status", "200")
        block.add("content-type", "application/grpc")
        addStatus(error, to: &block)
        return block
    }

    /// A Trailers-Only OK response with metadata (a handler that sent nothing).
    static func trailersOnlyOK(_ metadata: Metadata) -> HeaderBlock {
        var block = HeaderBlock(capacity: 3 + metadata.count)
        block.add(":status", "200")
        block.add("content-type", "application/grpc")
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
