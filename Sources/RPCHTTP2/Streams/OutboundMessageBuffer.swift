import NIOCore

/// Framed messages of one stream waiting for nghttp2 to pull them as DATA, and the writer
/// waiting for room (backpressure: a writer suspends while more than `highWaterMark` bytes wait).
///
/// Loop-confined: every method runs on the connection's event loop.
final class OutboundMessageBuffer {
    /// Bytes above which a writer waits.
    static let highWaterMark = 64 * 1024

    private let allocator: ByteBufferAllocator
    /// Allocated at the first message, sized for it (most calls send exactly one).
    private(set) var pending: ByteBuffer?
    /// nghttp2 was told DEFERRED and waits for `resumeData`.
    var deferred = false
    /// No more messages will be added: end the DATA (the server adds trailers, the client END_STREAM).
    var closed = false
    private var writer: CheckedContinuation<Void, any Error>?

    init(allocator: ByteBufferAllocator) {
        self.allocator = allocator
    }

    private var pendingCount: Int { pending?.readableBytes ?? 0 }
    var isEmpty: Bool { pendingCount == 0 }
    var hasRoom: Bool { pendingCount <= OutboundMessageBuffer.highWaterMark }

    /// Appends one framed message; `compressed` sets its flag (the bytes are already compressed).
    func append(message: [UInt8], compressed: Bool = false) {
        let length = UInt32(truncatingIfNeeded: message.count)
        if pending == nil { pending = allocator.buffer(capacity: 5 + message.count) }
        pending!.reserveCapacity(minimumWritableBytes: 5 + message.count)
        pending!.writeInteger(UInt8(compressed ? 1 : 0))
        pending!.writeInteger(length)
        pending!.writeBytes(message)
    }

    /// Copies up to `buffer.count` bytes out for a DATA frame; wakes the writer when room appears.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, pendingCount)
        guard count > 0 else { return 0 }
        pending!.withUnsafeReadableBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: count)
        }
        pending!.moveReaderIndex(forwardBy: count)
        if pending!.readableBytes == 0 { pending!.clear() }
        if hasRoom, let writer {
            self.writer = nil
            writer.resume()
        }
        return count
    }

    /// Bytes left of the message nghttp2 has started to pull (0 at a message boundary).
    ///
    /// `pending` always begins at a message boundary: it holds whole framed messages, is
    /// cleared only once empty, and ByteBuffer keeps read bytes until then. So the walk over the
    /// length prefixes starts at index 0. Runs only when a call is abandoned.
    var restOfStartedMessage: Int {
        guard var buffer = pending, buffer.readerIndex > 0 else { return 0 }
        let reader = buffer.readerIndex
        buffer.moveReaderIndex(to: 0)
        var boundary = 0
        while boundary < reader, let length = buffer.getInteger(at: boundary + 1, as: UInt32.self) {
            boundary += 5 + Int(length)
        }
        return boundary - reader
    }

    /// Ends the messages early: keeps only the rest of the message nghttp2 has started to pull,
    /// so the peer still receives whole messages, and fails a waiting writer with `error`.
    func abandon(throwing error: any Error) {
        let rest = restOfStartedMessage
        if rest == 0 {
            pending?.clear()
        } else {
            pending!.moveWriterIndex(to: pending!.readerIndex + rest)
        }
        closed = true
        if let writer {
            self.writer = nil
            writer.resume(throwing: error)
        }
    }

    /// Suspends the writer until there is room.
    func waitForRoom(_ continuation: CheckedContinuation<Void, any Error>) {
        if hasRoom {
            continuation.resume()
        } else {
            writer = continuation
        }
    }

    /// The stream is over: a waiting writer gets `error`.
    func fail(_ error: any Error) {
        closed = true
        pending = nil
        if let writer {
            self.writer = nil
            writer.resume(throwing: error)
        }
    }
}
