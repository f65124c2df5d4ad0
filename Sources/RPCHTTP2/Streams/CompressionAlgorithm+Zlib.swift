import RPC

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
