/// Whether a server compresses one response message.
///
/// A call's response encoding is chosen when its response headers go out: the algorithm a
/// `.preferred` first message names if the client accepts it, otherwise the request's
/// `grpc-encoding` if the client accepts that, otherwise identity. Each message then sets the
/// compressed flag only when it really is compressed.
public enum MessageCompression: Sendable, Hashable {
    /// Compressed with the call's response encoding, when it has one and the message is at
    /// least `minimumSize` bytes (the default).
    case automatic
    /// Sent uncompressed, whatever the call's encoding.
    case disabled
    /// Compressed whatever its size: the call's response encoding becomes `algorithm` when the
    /// client accepts it and the headers have not gone out yet; otherwise the message is
    /// compressed with the call's encoding, if it has one.
    case preferred(CompressionAlgorithm)

    /// Messages shorter than this are sent uncompressed by `.automatic`: the gzip header and
    /// trailer alone are 18 bytes, and small protobuf messages rarely shrink.
    public static let minimumSize = 128

    /// Whether a message of `length` bytes is compressed when the call's encoding is `encoding`.
    public func compresses(length: Int, encoding: CompressionAlgorithm?) -> Bool {
        guard encoding != nil else { return false }
        switch self {
        case .automatic: return length >= MessageCompression.minimumSize
        case .disabled: return false
        case .preferred: return true
        }
    }

    /// The response encoding of a call whose headers go out with this message (or with none,
    /// as `.automatic`): see the type's description.
    public func responseEncoding(request: CompressionAlgorithm?, accepted: Set<CompressionAlgorithm>) -> CompressionAlgorithm? {
        if case .preferred(let algorithm) = self, accepted.contains(algorithm) { return algorithm }
        if let request, accepted.contains(request) { return request }
        return nil
    }
}
