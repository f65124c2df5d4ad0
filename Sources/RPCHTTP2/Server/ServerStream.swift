import NIOCore
import RPC

/// One request stream on a server connection: its rules, buffers and handler task.
///
/// Loop-confined: created and used only on the connection's event loop; handler tasks reach it
/// through `ServerStreamHandle`. So no two accesses to a property can overlap, and the ones every
/// call touches are `@exclusivity(unchecked)`: their dynamic checks cost ~4% of a call's CPU.
final class ServerStream {
    let id: Int32
    @exclusivity(unchecked) var machine = ServerStreamStateMachine()
    @exclusivity(unchecked) var validator: RequestHeaderValidator
    @exclusivity(unchecked) var head: RequestHead?
    @exclusivity(unchecked) var method: ServerMethodHandler?
    @exclusivity(unchecked) var inbound: InboundMessageQueue?
    let outbound: OutboundMessageBuffer
    /// The request's `:method` and `content-type`, for the text of a non-gRPC answer (set only
    /// for such a request).
    @exclusivity(unchecked) var requestMethod: String?
    @exclusivity(unchecked) var requestContentType: String?
    /// The body of a non-gRPC answer (405, 415, 400), sent instead of messages; nil otherwise.
    var textBody: ByteBuffer?
    /// Submitted when the outbound DATA runs out after the handler finished.
    @exclusivity(unchecked) var trailers: HeaderBlock?
    @exclusivity(unchecked) var task: Task<Void, Never>?
    var deadlineTimer: Scheduled<Void>?
    /// The RST_STREAM code that follows a response sent before the client finished sending
    /// (NO_ERROR: the response is complete, the client only has to stop sending).
    var resetCodeAfterResponse = HTTP2ErrorCode.noError
    /// The algorithm response messages may be compressed with, fixed when the headers go out.
    @exclusivity(unchecked) var responseEncoding: CompressionAlgorithm?
    /// Why the stream ended early, for the handler's reads and writes.
    @exclusivity(unchecked) var failure: RPCError?
    /// Strong on purpose: a weak reference would move every retain of the handler onto the
    /// slow side-table path. No cycle outlives the stream: the handler drops the stream from
    /// `streams` when it closes, and `tearDown` clears this.
    @exclusivity(unchecked) var connection: ServerConnectionHandler?

    init(
        id: Int32, headerConfig: RequestHeaderValidator.Config, previousMetadata: Metadata, allocator: ByteBufferAllocator,
        connection: ServerConnectionHandler
    ) {
        self.id = id
        self.validator = RequestHeaderValidator(config: headerConfig, previous: previousMetadata)
        self.outbound = OutboundMessageBuffer(allocator: allocator)
        self.connection = connection
    }

    /// The error reads and writes throw once the stream is over.
    var endedError: RPCError {
        failure ?? RPCError(code: .cancelled, message: "the call has ended")
    }
}
