internal import CZlib
import RPC

/// Compresses whole messages with zlib, in gzip (RFC 1952) or zlib (RFC 1950, gRPC's
/// `deflate`) framing.
///
/// Invariant: `stream` is allocated and set up by `deflateInit2` in `init`, used only by
/// `compress` (one message at a time: the owner is loop-confined, see `MessageCompressors`),
/// left reset after every message, and released by `deflateEnd` in `deinit`. No pointer into
/// a caller's buffer outlives the call that set it.
final class ZlibDeflater {
    private let stream: UnsafeMutablePointer<z_stream>

    init(_ algorithm: CompressionAlgorithm) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // Z_OK; Z_MEM_ERROR (out of memory) and Z_STREAM_ERROR / Z_VERSION_ERROR (our constant
        // parameters rejected, or a zlib that does not match its header) leave nothing to do.
        let code = CZlib_deflateInit2(stream, Z_DEFAULT_COMPRESSION, algorithm.windowBits)
        precondition(code == Z_OK, "deflateInit2 failed with \(code)")
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// The compressed form of `input`, ready to send with the compressed flag set.
    func compress(_ input: [UInt8]) -> [UInt8] {
        precondition(input.count <= UInt32.max, "message too large for zlib")
        let bound = Int(deflateBound(stream, UInt(input.count)))
        let output = input.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
                // zlib only reads through next_in (it is `z_const` in the header).
                stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.pointee.avail_in = UInt32(source.count)
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = UInt32(bound)
                // With deflateBound's room and Z_FINISH one call ends the stream: Z_STREAM_END.
                // Z_STREAM_ERROR (inconsistent state) or Z_BUF_ERROR (no room) would be our bug.
                let code = deflate(stream, Z_FINISH)
                precondition(code == Z_STREAM_END, "deflate returned \(code)")
                initialized = bound - Int(stream.pointee.avail_out)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
            }
        }
        // Z_OK, or Z_STREAM_ERROR for a corrupted state (our bug).
        let code = deflateReset(stream)
        precondition(code == Z_OK, "deflateReset returned \(code)")
        return output
    }
}
