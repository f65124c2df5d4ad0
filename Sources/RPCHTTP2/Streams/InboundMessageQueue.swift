import RPC

/// The received messages of one stream, waiting for the reader (a server handler or a client
/// call), and the flow-control bookkeeping that keeps them bounded.
///
/// Bytes are returned to the peer's window (`release`) at once while nothing is waiting
/// unread; while messages wait, new bytes are held back and released only when the reader has
/// taken them all. So at most one stream window of unread data is ever buffered.
///
/// Compressed messages are inflated as they complete, with the connection's `compressors`;
/// the size limit applies again to the inflated size.
///
/// Loop-confined: every method runs on the connection's event loop, so accesses cannot overlap
/// and the stored properties skip the dynamic exclusivity checks (`@exclusivity(unchecked)`).
final class InboundMessageQueue {
    enum Poll {
        case message([UInt8])
        case end
        case failed(any Error)
        case empty
    }

    @exclusivity(unchecked) private var deframer: MessageDeframer
    /// The connection's zlib streams (set by the connection; a queue without one makes its own).
    @exclusivity(unchecked) var compressors: MessageCompressors?
    /// The oldest unread message while it is the only one (a unary call's request): no array
    /// is allocated for it. Later messages queue in `messages` behind it.
    @exclusivity(unchecked) private var first: [UInt8]?
    @exclusivity(unchecked) private var messages: [[UInt8]] = []
    @exclusivity(unchecked) private var head = 0
    @exclusivity(unchecked) private var ended = false
    @exclusivity(unchecked) private var failure: (any Error)?
    @exclusivity(unchecked) private var waiter: CheckedContinuation<[UInt8]?, any Error>?
    /// Received bytes not yet returned to the flow-control windows.
    @exclusivity(unchecked) private(set) var heldBytes = 0
    /// Where released bytes go (nghttp2_session_consume); nil once the stream is closed.
    /// A protocol reference rather than a closure: no allocation per stream.
    @exclusivity(unchecked) var flowControl: (any InboundFlowControl)?
    /// The stream the bytes belong to (set once the stream has an id).
    @exclusivity(unchecked) var streamID: Int32 = 0

    init(maxMessageSize: Int, encoding: String?) {
        deframer = MessageDeframer(maxMessageSize: maxMessageSize, encoding: encoding)
    }

    /// The peer's `grpc-encoding`, once known (a client learns it from the response headers,
    /// which always come before any message).
    func setEncoding(_ encoding: String?) {
        precondition(!deframer.hasPartialMessage, "the encoding changes only before the first message")
        deframer = MessageDeframer(maxMessageSize: deframer.maxMessageSize, encoding: encoding)
    }

    private var hasUnread: Bool { first != nil || head < messages.count }

    /// Messages received and not yet read.
    var unreadCount: Int { (first == nil ? 0 : 1) + messages.count - head }

    /// Feeds DATA bytes of the stream. Throws the deframer's error (the stream must end).
    func receive(_ bytes: UnsafeRawBufferPointer) throws(RPCError) {
        let wasWaiting = hasUnread
        let buffer = UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        // Read outside the closure: the deframer is being mutated while it runs.
        let algorithm = deframer.compression
        let limit = deframer.maxMessageSize
        try deframer.append(buffer.span) { (message, compressed) throws(RPCError) in
            deliver(compressed ? try inflate(message, algorithm: algorithm, limit: limit) : message)
        }
        if wasWaiting || hasUnread {
            heldBytes += bytes.count
        } else {
            release(bytes.count)
        }
    }

    private func inflate(_ message: [UInt8], algorithm: CompressionAlgorithm?, limit: Int) throws(RPCError) -> [UInt8] {
        // The deframer passes a compressed message only when the encoding names an algorithm.
        guard let algorithm else { preconditionFailure("compressed message without an algorithm") }
        let compressors = compressors ?? MessageCompressors()
        self.compressors = compressors
        return try compressors.decompress(message, with: algorithm, limit: limit)
    }

    private func release(_ count: Int) {
        guard count > 0 else { return }
        flowControl?.release(streamID: streamID, count: count)
    }

    private func deliver(_ message: [UInt8]) {
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: message)
        } else if !hasUnread {
            first = message
        } else {
            messages.append(message)
        }
    }

    /// The peer ended the stream. A truncated message is an error.
    func finish() {
        guard !ended, failure == nil else { return }
        if deframer.hasPartialMessage {
            fail(RPCError(code: .internal, message: "stream ended inside a message"))
            return
        }
        ended = true
        if !hasUnread, let waiter {
            self.waiter = nil
            waiter.resume(returning: nil)
        }
    }

    /// The stream failed or was cancelled: the reader gets `error` once buffered messages are read.
    func fail(_ error: any Error) {
        guard failure == nil else { return }
        failure = error
        first = nil
        messages.removeAll()
        head = 0
        if let waiter {
            self.waiter = nil
            waiter.resume(throwing: error)
        }
    }

    /// The next message without waiting.
    func poll() -> Poll {
        if let failure { return .failed(failure) }
        let message: [UInt8]
        if let oldest = first {
            first = nil
            message = oldest
        } else if head < messages.count {
            message = messages[head]
            head += 1
            if head == messages.count {
                messages.removeAll(keepingCapacity: true)
                head = 0
            }
        } else {
            return ended ? .end : .empty
        }
        if !hasUnread {
            let held = heldBytes
            heldBytes = 0
            release(held)
        }
        return .message(message)
    }

    /// Waits for the next message (one reader at a time).
    func wait(_ continuation: CheckedContinuation<[UInt8]?, any Error>) {
        switch poll() {
        case .message(let message): continuation.resume(returning: message)
        case .end: continuation.resume(returning: nil)
        case .failed(let error): continuation.resume(throwing: error)
        case .empty:
            if let previous = waiter {
                previous.resume(throwing: RPCError(code: .internal, message: "concurrent reads of one stream"))
            }
            waiter = continuation
        }
    }

    /// Bytes held back and not yet released: the caller returns them to the connection window
    /// when the stream closes.
    func takeHeldBytes() -> Int {
        let held = heldBytes
        heldBytes = 0
        return held
    }
}

/// Receives the bytes an `InboundMessageQueue` returns to the flow-control windows.
protocol InboundFlowControl: AnyObject {
    func release(streamID: Int32, count: Int)
}
