/// How a server runs one method, on raw message bytes. Generated service registration builds
/// these from typed handlers; the transport calls them.
public enum ServerMethodHandler: Sendable {
    /// One request, one response. The transport collects the whole request first.
    case unary(@Sendable (_ request: [UInt8], _ context: ServerContext) async throws -> UnaryResponse<[UInt8]>)
    /// Any number of messages each way (server, client and bidirectional streaming). The
    /// handler returns the trailing metadata; an error thrown ends the call with its status.
    case streaming(@Sendable (_ requests: RPCAsyncSequence<[UInt8]>, _ responses: ServerResponseWriter, _ context: ServerContext) async throws -> Metadata)
}

/// The response side of a streaming server call.
public struct ServerResponseWriter: Sendable {
    private let sendHeaders: @Sendable (Metadata) async throws -> Void
    /// Writes one response message; suspends while flow control holds it back.
    public let messages: RPCWriter<[UInt8]>

    public init(sendInitialMetadata: @escaping @Sendable (Metadata) async throws -> Void, messages: RPCWriter<[UInt8]>) {
        self.sendHeaders = sendInitialMetadata
        self.messages = messages
    }

    /// Sends the response headers now, with this custom metadata. Optional: without it the
    /// headers go out with the first message (or as Trailers-Only when there is none).
    /// A second call is ignored.
    public func sendInitialMetadata(_ metadata: Metadata) async throws {
        try await sendHeaders(metadata)
    }

    public func write(_ message: [UInt8]) async throws {
        try await messages.write(message)
    }
}
