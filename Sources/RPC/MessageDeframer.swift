/// Splits the bytes of a gRPC request or response body into messages.
///
/// The length prefix is checked against `maxMessageSize` as soon as its 5 bytes are in, before
/// any of the message is buffered, so a peer declaring 4 GiB costs nothing. A compressed
/// message is handed on still compressed, flagged: the transport inflates it (and applies the
/// limit again to the inflated size). Errors:
/// - a message over the limit: RESOURCE_EXHAUSTED;
/// - the compressed flag set while the sender's `grpc-encoding` is absent, `identity` or not
///   one we support: UNIMPLEMENTED;
/// - a flag other than 0 or 1: INTERNAL;
/// - whatever `onMessage` throws.
///
/// After an error every later `append` throws the same error.
///
/// ```swift
/// var deframer = MessageDeframer(maxMessageSize: 1 << 20)
/// try deframer.append([0, 0, 0, 0, 1, 0x2A]) { message, compressed in print(message) }   // [42]
/// ```
public struct MessageDeframer: Sendable {
    /// The largest message accepted.
    public let maxMessageSize: Int
    /// The peer's `grpc-encoding`, named in the error for a compressed message.
    public let encoding: String?
    /// The algorithm compressed messages use: `encoding` when it names one we support.
    public let compression: CompressionAlgorithm?

    private var prefix: UInt64 = 0
    private var prefixCount = 0
    private var expected = -1
    private var body: [UInt8] = []
    private var failure: RPCError?
    /// The flag of the message being read.
    private var compressed = false

    /// A deframer for one stream's body. `encoding` is the sender's `grpc-encoding` header, if it
    /// sent one: it decides whether a compressed flag is allowed.
    public init(maxMessageSize: Int = 1 << 20, encoding: String? = nil) {
        self.maxMessageSize = maxMessageSize
        self.encoding = encoding
        self.compression = encoding.flatMap { CompressionAlgorithm(name: $0) }
    }

    /// Whether bytes of an unfinished message are buffered (at the end of a stream this means
    /// the body was truncated).
    public var hasPartialMessage: Bool { prefixCount > 0 || expected >= 0 }

    /// Bytes of the unfinished message buffered so far, prefix included.
    public var bufferedByteCount: Int { prefixCount + body.count }

    /// Feeds body bytes; calls `onMessage` for each message completed by them, in order, with
    /// whether its compressed flag is set. An error `onMessage` throws fails the deframer.
    public mutating func append(
        _ bytes: Span<UInt8>, onMessage: (_ message: [UInt8], _ compressed: Bool) throws(RPCError) -> Void
    ) throws(RPCError) {
        if let failure { throw failure }
        var index = 0
        let count = bytes.count
        while index < count {
            if expected < 0 {
                prefix = (prefix << 8) | UInt64(bytes[index])
                prefixCount += 1
                index += 1
                if prefixCount == MessageFramer.prefixLength {
                    try startMessage()
                    if expected == 0 { try finishMessage(onMessage) }
                }
                continue
            }
            let take = min(expected - body.count, count - index)
            if body.isEmpty && take == expected {
                // The whole message is in this chunk: copy it once.
                var message = [UInt8]()
                message.reserveCapacity(take)
                for offset in index..<(index + take) { message.append(bytes[offset]) }
                index += take
                expected = -1
                try deliver(message, onMessage)
                continue
            }
            if body.capacity < expected { body.reserveCapacity(expected) }
            for offset in index..<(index + take) { body.append(bytes[offset]) }
            index += take
            if body.count == expected { try finishMessage(onMessage) }
        }
    }

    /// Feeds body bytes from an array.
    public mutating func append(
        _ bytes: [UInt8], onMessage: (_ message: [UInt8], _ compressed: Bool) throws(RPCError) -> Void
    ) throws(RPCError) {
        try append(bytes.span, onMessage: onMessage)
    }

    private mutating func startMessage() throws(RPCError) {
        let flag = UInt8(truncatingIfNeeded: prefix >> 32)
        let length = Int(UInt32(truncatingIfNeeded: prefix))
        prefix = 0
        prefixCount = 0
        switch flag {
        case 0:
            break
        case 1:
            guard compression != nil else {
                let named = encoding.map { "'\($0)'" } ?? "absent"
                try fail(
                    RPCError(
                        code: .unimplemented,
                        message: "compressed message received, grpc-encoding is \(named); supported: gzip, deflate"))
            }
            compressed = true
        default:
            try fail(RPCError(code: .internal, message: "invalid message flag \(flag)"))
        }
        guard length <= maxMessageSize else {
            try fail(
                RPCError(
                    code: .resourceExhausted,
                    message: "received message larger than max (\(length) vs. \(maxMessageSize))"))
        }
        expected = length
    }

    private mutating func finishMessage(_ onMessage: ([UInt8], Bool) throws(RPCError) -> Void) throws(RPCError) {
        let message = body
        body = []
        expected = -1
        try deliver(message, onMessage)
    }

    private mutating func deliver(_ message: [UInt8], _ onMessage: ([UInt8], Bool) throws(RPCError) -> Void) throws(RPCError) {
        let wasCompressed = compressed
        compressed = false
        do {
            try onMessage(message, wasCompressed)
        } catch {
            try fail(error)
        }
    }

    private mutating func fail(_ error: RPCError) throws(RPCError) -> Never {
        failure = error
        body = []
        throw error
    }
}
