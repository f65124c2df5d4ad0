/// The HTTP/2 error codes this transport sends or acts on (RFC 9113 §7), carried by
/// RST_STREAM and GOAWAY. The values are the protocol's, the same numbers nghttp2 names
/// `NGHTTP2_NO_ERROR` and so on. Received codes stay raw `UInt32`s, since a peer may send any
/// value (an unknown one means INTERNAL_ERROR, §7); `init(rawValue:)` tells the known ones.
enum HTTP2ErrorCode: UInt32 {
    case noError = 0x0
    case protocolError = 0x1
    case internalError = 0x2
    case refusedStream = 0x7
    case cancel = 0x8
}

/// The SETTINGS parameters this transport sends (RFC 9113 §6.5.2), with their protocol ids.
enum HTTP2Setting: Int32 {
    case enablePush = 0x2
    case maxConcurrentStreams = 0x3
    case initialWindowSize = 0x4
    case maxHeaderListSize = 0x6
}

/// What a stream's data source hands nghttp2 when it asks for the next DATA frame's bytes.
enum DataSourceResult {
    /// `count` bytes were copied into the frame; more follow later.
    case bytes(Int)
    /// `count` bytes, the last DATA of the stream. `endStream` false: trailers follow (the
    /// source submits them before returning), so the frame does not carry END_STREAM.
    case last(Int, endStream: Bool)
    /// Nothing to send now: nghttp2 waits for `Nghttp2Session.resumeData`.
    case deferred
    /// The stream is unknown: nghttp2 resets it (INTERNAL_ERROR).
    case unknownStream
}
