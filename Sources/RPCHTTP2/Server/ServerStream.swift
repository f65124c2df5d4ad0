import NIOCore
import RPC

/// One request stream on a server connection: its rules, buffers and handler task.
///
/// Loop-confined: created and used only on the connection's event loop; handler tasks reach it
/// through `ServerStreamHandle`.
final class ServerStream {
    let id: Int32
    var machine = ServerStreamStateMachine()
    var validator: RequestHeaderValidator
    var head: RequestHead?
    var method: ServerMethodHandler?
    var inbound: InboundMessageQueue?
    let outbound: OutboundMessageBuffer
    /// The request's `:method` and `content-type`, for the text of a non-gRPC answer.
    var requestMethod: String?
    var requestContentType: String?
    /// The body of a non-gRPC answer (405, 415, 400), sent instead of messages; nil otherwise.
    var textBody: ByteBuffer?
    /// Submitted when the outbound DATA runs out after the handler finished.
    var trailers: HeaderBlock?
    var task: Task<Void, Never>?
    var deadlineTimer: Scheduled<Void>?
    /// The RST_STREAM code that follows a response sent before the client finished sending
    /// (NO_ERROR: the response is complete, the client only has to stop sending).
    var resetCodeAfterResponse: UInt32 = 0
    /// The algorithm response messages may be compressed with, fixed when the headers go out.
    var responseEncoding: CompressionAlgorithm?
    /// Why the stream ended early, for the handler's reads and writes.
    var failure: RPCError?
    /// Strong on purpose: a weak reference would move every retain of the handler onto the
    /// slow side-table path. No cycle outlives the stream: the handler drops the stream from
    /// `streams` when it closes, and `tearDown` clears this.
    var connection: ServerConnectionHandler?

    init(id: Int32, headerConfig: RequestHeaderValidator.Config, allocator: ByteBufferAllocator, connection: ServerConnectionHandler) {
        self.id = id
        self.validator = RequestHeaderValidator(config: headerConfig)
        self.outbound = OutboundMessageBuffer(allocator: allocator)
        self.connection = connection
    }

    /// The error reads and writes throw once the stream is over.
    var endedError: RPCError {
        failure ?? RPCError(code: .cancelled, message: "the call has ended")
    }
}
