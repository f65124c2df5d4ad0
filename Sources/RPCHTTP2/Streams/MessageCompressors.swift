import RPC

/// The zlib streams of one connection, made on first use and reused for every message of
/// every stream on it: messages are compressed and inflated whole, one at a time on the
/// connection's loop, so one deflater and one inflater per algorithm suffice (a deflate
/// state is ~270 KiB; per stream it would cost that times the open streams).
///
/// Loop-confined: used only on the connection's event loop.
final class MessageCompressors {
    private var deflaters: [CompressionAlgorithm: ZlibDeflater] = [:]
    private var inflaters: [CompressionAlgorithm: ZlibInflater] = [:]

    init() {}

    /// `message` compressed with `algorithm`.
    func compress(_ message: [UInt8], with algorithm: CompressionAlgorithm) -> [UInt8] {
        if let deflater = deflaters[algorithm] { return deflater.compress(message) }
        let deflater = ZlibDeflater(algorithm)
        deflaters[algorithm] = deflater
        return deflater.compress(message)
    }

    /// `message` inflated; RESOURCE_EXHAUSTED past `limit` bytes, INTERNAL when corrupt.
    func decompress(_ message: [UInt8], with algorithm: CompressionAlgorithm, limit: Int) throws(RPCError) -> [UInt8] {
        if let inflater = inflaters[algorithm] { return try inflater.decompress(message, limit: limit) }
        let inflater = ZlibInflater(algorithm)
        inflaters[algorithm] = inflater
        return try inflater.decompress(message, limit: limit)
    }
}

/// How zlib is set up for each gRPC algorithm.
extension CompressionAlgorithm {
    /// zlib's windowBits for the framing: 15 for zlib, 15 + 16 for gzip.
    var windowBits: Int32 {
        switch self {
        case .gzip: 31
        case .deflate: 15
        }
    }
}
