import NIOCore
import RPC

/// Framed messages of one stream waiting for nghttp2 to pull them as DATA, and the writer
/// waiting for room (backpressure: a writer suspends while more than `highWaterMark` bytes wait).
///
/// Loop-confined: every method runs on the connection's event loop, so accesses cannot overlap
/// and the stored properties skip the dynamic exclusivity checks (`@exclusivity(unchecked)`).
final class OutboundMessageBuffer {
    /// Bytes above which a writer waits.
    static let highWaterMark = 64 * 1024

    private let allocator: ByteBufferAllocator
    /// The stream's only message while it has one (most calls send exactly one), kept as the
    /// handler made it: no buffer is allocated and the bytes are copied once, into the DATA frame.
    @exclusivity(unchecked) private var single: [UInt8]?
    @exclusivity(unchecked) private var singleCompressed = false
    /// Bytes of the single message's frame (prefix and message) already pulled.
    @exclusivity(unchecked) private var singleRead = 0
    /// Framed messages once there is more than one; allocated when the second one arrives.
    @exclusivity(unchecked) private(set) var pending: ByteBuffer?
    /// nghttp2 was told DEFERRED and waits for `resumeData`.
    @exclusivity(unchecked) var deferred = false
    /// No more messages will be added: end the DATA (the server adds trailers, the client END_STREAM).
    @exclusivity(unchecked) var closed = false
    @exclusivity(unchecked) private var writer: CheckedContinuation<Void, any Error>?

    init(allocator: ByteBufferAllocator) {
        self.allocator = allocator
    }

    private var singleFrameCount: Int { single.map { MessageFramer.prefixLength + $0.count } ?? 0 }
    private var pendingCount: Int { single == nil ? pending?.readableBytes ?? 0 : singleFrameCount - singleRead }
    var isEmpty: Bool { pendingCount == 0 }
    var hasRoom: Bool { pendingCount <= OutboundMessageBuffer.highWaterMark }

    /// Appends one framed message; `compressed` sets its flag (the bytes are already compressed).
    func append(message: [UInt8], compressed: Bool = false) {
        if single == nil && (pending?.readableBytes ?? 0) == 0 {
            pending?.clear()
            single = message
            singleCompressed = compressed
            singleRead = 0
            return
        }
        spillSingle(adding: MessageFramer.prefixLength + message.count)
        write(message, compressed: compressed)
    }

    /// Moves the single message (whole, with its pulled bytes marked read) into `pending`, so
    /// `pending` still begins at a message boundary.
    private func spillSingle(adding extra: Int) {
        let held = singleFrameCount
        if pending == nil { pending = allocator.buffer(capacity: held + extra) }
        pending!.reserveCapacity(minimumWritableBytes: held + extra)
        guard let message = single else { return }
        single = nil
        write(message, compressed: singleCompressed)
        pending!.moveReaderIndex(forwardBy: singleRead)
        singleRead = 0
    }

    private func write(_ message: [UInt8], compressed: Bool) {
        _ = MessageFramer.withPrefix(length: message.count, compressed: compressed) { pending!.writeBytes($0) }
        pending!.writeBytes(message)
    }

    /// Copies up to `buffer.count` bytes out for a DATA frame; wakes the writer when room appears.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, pendingCount)
        guard count > 0 else { return 0 }
        if let message = single {
            readSingle(message, count: count, into: buffer)
        } else {
            pending!.withUnsafeReadableBytes { source in
                buffer.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: count)
            }
            pending!.moveReaderIndex(forwardBy: count)
            if pending!.readableBytes == 0 { pending!.clear() }
        }
        if hasRoom, let writer {
            self.writer = nil
            writer.resume()
        }
        return count
    }

    /// Copies `count` bytes of the single message's frame, from where the last read stopped.
    private func readSingle(_ message: [UInt8], count: Int, into buffer: UnsafeMutableRawBufferPointer) {
        var copied = 0
        if singleRead < MessageFramer.prefixLength {
            copied = min(count, MessageFramer.prefixLength - singleRead)
            MessageFramer.withPrefix(length: message.count, compressed: singleCompressed) { prefix in
                buffer.baseAddress!.copyMemory(from: prefix.baseAddress! + singleRead, byteCount: copied)
            }
        }
        if copied < count {
            let offset = singleRead + copied - MessageFramer.prefixLength
            message.withUnsafeBytes { bytes in
                (buffer.baseAddress! + copied).copyMemory(from: bytes.baseAddress! + offset, byteCount: count - copied)
            }
        }
        singleRead += count
        if singleRead == singleFrameCount {
            single = nil
            singleRead = 0
        }
    }

    /// Bytes left of the message nghttp2 has started to pull (0 at a message boundary).
    ///
    /// `pending` always begins at a message boundary: it holds whole framed messages, is
    /// cleared only once empty, and ByteBuffer keeps read bytes until then. So the walk over the
    /// length prefixes starts at index 0. Runs only when a call is abandoned.
    var restOfStartedMessage: Int {
        if single != nil { return singleRead > 0 ? singleFrameCount - singleRead : 0 }
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
        if single != nil {
            // Unstarted, it goes; started, what is left of it is the rest to keep.
            if rest == 0 { single = nil }
        } else if rest == 0 {
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

    /// The stream is over: a waiting writer gets `error`, made only when one waits (a call
    /// that ends well has nobody waiting, and builds no error).
    func fail(_ error: @autoclosure () -> any Error) {
        closed = true
        single = nil
        singleRead = 0
        pending = nil
        if let writer {
            self.writer = nil
            writer.resume(throwing: error())
        }
    }
}
