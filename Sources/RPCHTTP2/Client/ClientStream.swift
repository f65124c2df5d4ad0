import NIOCore
import RPC

/// One call on a client connection: its request buffer, response queue and outcome.
///
/// Created by the calling task, then touched only on the connection's event loop (through
/// `ClientStreamHandle`).
final class ClientStream {
    enum ResponseStart {
        /// Response headers arrived with this metadata; messages and trailers follow.
        case headers(Metadata)
        /// Trailers-Only OK (no messages), with the trailers' metadata.
        case trailersOnlyOK(Metadata)
    }

    var id: Int32?
    var parser = ResponseHeaderParser()
    var headersReceived = false
    var initialMetadata = Metadata()
    let inbound: InboundMessageQueue
    let outbound: OutboundMessageBuffer
    /// The call's deadline (`handleScheduledCallback`), cancelled when the call ends first.
    var deadline: NIOScheduledCallback?
    /// Set once: the call's outcome (trailing metadata on OK).
    private(set) var outcome: Result<Metadata, RPCError>?
    var unaryWaiter: CheckedContinuation<UnaryResponse<[UInt8]>, any Error>?
    /// A unary call made without a task (`CallbackClientTransport`) and its try's number: told
    /// the outcome on the loop, once.
    var unaryCall: (call: CallbackUnaryCall, number: Int)?
    var startWaiter: CheckedContinuation<ResponseStart, any Error>?
    private var responseStart: ResponseStart?
    var trailerWaiters: [CheckedContinuation<Metadata, any Error>] = []
    /// Strong for the same reason as `ServerStream.connection`; cleared when the stream closes.
    var connection: ClientConnectionHandler?
    /// The server never saw this call (the connection was going away, or REFUSED_STREAM):
    /// it is safe to retry on another connection.
    var notProcessed = false
    /// The algorithm request messages are compressed with, if any.
    var requestEncoding: CompressionAlgorithm?

    init(maxReceiveMessageSize: Int, allocator: ByteBufferAllocator) {
        self.inbound = InboundMessageQueue(maxMessageSize: maxReceiveMessageSize, encoding: nil)
        self.outbound = OutboundMessageBuffer(allocator: allocator)
    }

    var isFinished: Bool { outcome != nil }

    /// The response headers arrived (or a Trailers-Only OK).
    func started(_ start: ResponseStart) {
        responseStart = start
        if let startWaiter {
            self.startWaiter = nil
            startWaiter.resume(returning: start)
        }
    }

    /// Waits for the response to start (streaming calls).
    func waitForStart(_ continuation: CheckedContinuation<ResponseStart, any Error>) {
        if let responseStart { return continuation.resume(returning: responseStart) }
        if case .failure(let error) = outcome { return continuation.resume(throwing: error) }
        startWaiter = continuation
    }

    /// Waits for the trailers' metadata.
    func waitForTrailers(_ continuation: CheckedContinuation<Metadata, any Error>) {
        switch outcome {
        case .success(let metadata): continuation.resume(returning: metadata)
        case .failure(let error): continuation.resume(throwing: error)
        case nil: trailerWaiters.append(continuation)
        }
    }

    /// Ends the call once: wakes everyone waiting on it.
    func finish(_ result: Result<Metadata, RPCError>) {
        guard outcome == nil else { return }
        outcome = result
        deadline?.cancel()
        deadline = nil
        switch result {
        case .success:
            inbound.finish()
            outbound.fail(RPCError(code: .cancelled, message: "the call has ended"))
        case .failure(let error):
            inbound.fail(error)
            outbound.fail(error)
            if let startWaiter {
                self.startWaiter = nil
                startWaiter.resume(throwing: error)
            }
        }
        if let unaryWaiter {
            self.unaryWaiter = nil
            unaryWaiter.resume(with: unaryResult())
        }
        if let unaryCall {
            self.unaryCall = nil
            unaryCall.call.finished(number: unaryCall.number, unaryResult())
        }
        let waiters = trailerWaiters
        trailerWaiters = []
        for waiter in waiters { waiter.resume(with: result.mapError { $0 as any Error }) }
    }

    /// A unary call's answer: exactly one message and OK, or the error.
    private func unaryResult() -> Result<UnaryResponse<[UInt8]>, any Error> {
        switch outcome {
        case .some(.failure(let error)):
            return .failure(notProcessed ? NotProcessedError(error: error) : error)
        case .some(.success(let trailing)):
            // Exactly one message: the first, then nothing more (no array for the usual one).
            let message: [UInt8]
            switch inbound.poll() {
            case .message(let first): message = first
            case .failed(let error): return .failure(error)
            case .end, .empty: return .failure(RPCError(code: .internal, message: "unary response had 0 messages"))
            }
            var count = 1
            polling: while true {
                switch inbound.poll() {
                case .message: count += 1
                case .failed(let error): return .failure(error)
                case .end, .empty: break polling
                }
            }
            guard count == 1 else {
                return .failure(RPCError(code: .internal, message: "unary response had \(count) messages"))
            }
            return .success(UnaryResponse(message: message, initialMetadata: initialMetadata, trailingMetadata: trailing))
        case nil:
            return .failure(RPCError(code: .internal, message: "call not finished"))
        }
    }
}

/// The deadline: the call is cancelled with DEADLINE_EXCEEDED (RST_STREAM to the server).
extension ClientStream: NIOScheduledCallbackHandler {
    func handleScheduledCallback(eventLoop: some EventLoop) {
        deadline = nil
        connection?.cancel(self, error: RPCError(code: .deadlineExceeded, message: "deadline exceeded"))
    }
}

/// A call failed before the server processed it; the transport retries it elsewhere.
struct NotProcessedError: Error {
    let error: RPCError
}
