/// A position in the order feed: the `seq` of the last event a consumer has seen. On the wire
/// it is opaque, base64url of a version byte and the big-endian `seq`, so clients cannot come
/// to depend on it being a number and the encoding can change behind the version byte.
public struct FeedCursor: Sendable, Hashable, Comparable {
    /// The feed number of the event (`order_feed.seq`).
    public var seq: Int64

    public init(seq: Int64) {
        self.seq = seq
    }

    private static let version: UInt8 = 1

    /// The opaque text form (12 characters).
    public var token: String {
        var bytes: [UInt8] = [Self.version]
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: seq >> Int64(shift))) }
        return Base64URL.encode(bytes)
    }

    /// Parses a cursor this service issued; anything else is INVALID_ARGUMENT naming `field`.
    public init(token: String, field: String = "after_cursor") throws(OrderError) {
        let invalid = OrderError.invalidArgument(field: field, problem: "is not a cursor from this order feed")
        guard token.utf8.count == 12, let bytes = Base64URL.decode(token), bytes.count == 9, bytes[0] == Self.version else {
            throw invalid
        }
        let seq = bytes[1...].reduce(Int64(0)) { ($0 << 8) | Int64($1) }
        guard seq >= 0 else { throw invalid }
        self.init(seq: seq)
    }

    public static func < (lhs: FeedCursor, rhs: FeedCursor) -> Bool { lhs.seq < rhs.seq }
}
