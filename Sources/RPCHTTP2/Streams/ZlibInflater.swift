internal import CZlib
import RPC

/// Inflates whole messages compressed with gzip or zlib (`deflate`) framing, in bounded steps:
/// output stops at `limit + 1` bytes, so a zip bomb costs at most the limit in memory.
///
/// Invariant: `stream` is allocated and set up by `inflateInit2` in `init`, used only by
/// `decompress` (one message at a time: the owner is loop-confined, see
/// `MessageCompressors`), left reset after every message, and released by `inflateEnd` in
/// `deinit`. No pointer into a caller's buffer outlives the call that set it.
final class ZlibInflater {
    /// Output is produced this many bytes at a time.
    static let step = 64 * 1024

    private let stream: UnsafeMutablePointer<z_stream>

    init(_ algorithm: CompressionAlgorithm) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // Z_OK; Z_MEM_ERROR (out of memory), Z_STREAM_ERROR or Z_VERSION_ERROR (a zlib that
        // does not match its header) leave nothing to do.
        let code = CZlib_inflateInit2(stream, algorithm.windowBits)
        precondition(code == Z_OK, "inflateInit2 failed with \(code)")
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// The inflated message. Throws RESOURCE_EXHAUSTED when it would exceed `limit` bytes and
    /// INTERNAL when `input` is not one complete, valid compressed stream (as grpc-go does).
    func decompress(_ input: [UInt8], limit: Int) throws(RPCError) -> [UInt8] {
        var output: [UInt8] = []
        let outcome = input.withUnsafeBufferPointer { source in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.pointee.avail_in = UInt32(source.count)
            defer { stream.pointee.next_in = nil }
            return inflateSteps(into: &output, limit: limit)
        }
        // Z_OK, or Z_STREAM_ERROR for a corrupted state (our bug).
        let code = inflateReset(stream)
        precondition(code == Z_OK, "inflateReset returned \(code)")
        if let outcome { throw outcome }
        return output
    }

    /// Runs inflate until the stream ends or fails; nil when it ended well.
    private func inflateSteps(into output: inout [UInt8], limit: Int) -> RPCError? {
        while true {
            // One byte past the limit is enough to know the message is too large.
            let room = min(Self.step, limit + 1 - output.count)
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: room))
            let code = output.withUnsafeMutableBufferPointer { buffer in
                stream.pointee.next_out = buffer.baseAddress! + start
                stream.pointee.avail_out = UInt32(room)
                defer { stream.pointee.next_out = nil }
                return inflate(stream, Z_NO_FLUSH)
            }
            output.removeLast(Int(stream.pointee.avail_out))
            if output.count > limit {
                return RPCError(
                    code: .resourceExhausted,
                    message: "received message after decompression larger than max (\(limit))")
            }
            switch code {
            case Z_STREAM_END:
                // Bytes after the end of the compressed stream are not part of any message.
                return stream.pointee.avail_in == 0 ? nil : Self.corrupt("data after the end of the compressed stream")
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress possible: the input ran out before the stream ended.
                return Self.corrupt("truncated compressed message")
            case Z_DATA_ERROR, Z_NEED_DICT:
                return Self.corrupt(stream.pointee.msg.map { String(cString: $0) } ?? "invalid compressed data")
            case Z_MEM_ERROR:
                return RPCError(code: .resourceExhausted, message: "out of memory while decompressing a message")
            default:
                // Z_STREAM_ERROR: an inconsistent stream state, our bug.
                preconditionFailure("inflate returned \(code)")
            }
        }
    }

    private static func corrupt(_ detail: String) -> RPCError {
        RPCError(code: .internal, message: "grpc: failed to decompress the received message: \(detail)")
    }
}
