/// Frames outgoing gRPC messages: a 1-byte compressed flag (always 0: we send identity only),
/// a 4-byte big-endian length, then the message bytes.
///
/// ```swift
/// let framer = MessageFramer(maxMessageSize: 4 << 20)
/// let frame = try framer.frame([0x08, 0x01])   // [0, 0, 0, 0, 2, 0x08, 0x01]
/// ```
public struct MessageFramer: Sendable {
    /// Bytes before each message: the flag and the length.
    public static let prefixLength = 5

    /// The largest message this side sends; a bigger one fails the call with INTERNAL.
    public var maxMessageSize: Int

    /// A framer refusing messages over `maxMessageSize` bytes (4 MiB by default).
    public init(maxMessageSize: Int = 4 << 20) {
        self.maxMessageSize = maxMessageSize
    }

    /// Throws INTERNAL when a message of `length` bytes may not be sent.
    public func checkSendable(length: Int) throws(RPCError) {
        guard length <= maxMessageSize else {
            throw RPCError(code: .internal, message: "sent message larger than max (\(length) vs. \(maxMessageSize))")
        }
    }

    /// Hands `body` the 5-byte prefix of a message of `length` bytes, `compressed` or not, without
    /// allocating: the one place the prefix is written, for transports that copy it into their
    /// own buffers.
    @inlinable
    public static func withPrefix<Result>(
        length: Int, compressed: Bool = false, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        let value = UInt32(truncatingIfNeeded: length)
        var prefix: (UInt8, UInt8, UInt8, UInt8, UInt8) = (
            compressed ? 1 : 0, UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)
        )
        return try withUnsafeBytes(of: &prefix) { try body($0) }
    }

    /// The 5-byte prefix for an uncompressed message of `length` bytes.
    public static func prefix(length: Int) -> [UInt8] {
        withPrefix(length: length) { Array($0) }
    }

    /// The whole frame of one message.
    public func frame(_ message: [UInt8]) throws(RPCError) -> [UInt8] {
        try checkSendable(length: message.count)
        var out = MessageFramer.prefix(length: message.count)
        out.reserveCapacity(MessageFramer.prefixLength + message.count)
        out.append(contentsOf: message)
        return out
    }
}
