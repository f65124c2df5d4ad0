/// One page request of ListOrders: newest first, after a cursor, optionally filtered.
public struct OrderListQuery: Sendable, Hashable {
    /// 1–100.
    public var pageSize: Int
    /// Start after this position; nil for the first page.
    public var after: OrderCursor?
    /// Only orders in this state; nil for all.
    public var state: OrderLifecycle.State?
    /// Only this customer's orders; nil for all.
    public var customerID: String?

    public init(pageSize: Int, after: OrderCursor? = nil, state: OrderLifecycle.State? = nil, customerID: String? = nil) {
        self.pageSize = pageSize
        self.after = after
        self.state = state
        self.customerID = customerID
    }
}

/// One page of orders.
public struct OrderPage: Sendable, Hashable {
    /// Newest first.
    public var orders: [OrderRecord]
    /// Where the next page starts; nil on the last page.
    public var next: OrderCursor?

    public init(orders: [OrderRecord], next: OrderCursor?) {
        self.orders = orders
        self.next = next
    }
}

/// A position in the newest-first order list: the (created_at, id) of the last order seen.
/// Orders inserted later sort before it, so they never shift the pages that follow.
public struct OrderCursor: Sendable, Hashable {
    /// Unix milliseconds.
    public var createdAt: Int64
    /// The order id.
    public var id: String

    public init(createdAt: Int64, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    /// The opaque page token: `v1.<created_at>.<id>`, base64url without padding.
    public var token: String {
        Base64URL.encode(Array("v1.\(createdAt).\(id)".utf8))
    }

    /// Parses a page token; throws `OrderError.invalidArgument` for anything else.
    public init(token: String) throws(OrderError) {
        let invalid = OrderError.invalidArgument(field: "page_token", problem: "is not a token from a previous ListOrders response")
        guard token.utf8.count <= 200, let bytes = Base64URL.decode(token), let text = String(validating: bytes, as: UTF8.self) else {
            throw invalid
        }
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let createdAt = Int64(parts[1]), !parts[2].isEmpty else { throw invalid }
        self.init(createdAt: createdAt, id: String(parts[2]))
    }
}

/// Base64url without padding (RFC 4648 §5), for page tokens.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << (16 - 8 * offset) }
            for position in 0..<(chunk.count + 1) {
                out.append(alphabet[Int((value >> (18 - 6 * position)) & 0x3F)])
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for char in text.utf8 {
            guard let value = alphabet.firstIndex(of: char) else { return nil }
            values.append(UInt8(value))
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            var value: UInt32 = 0
            for (offset, sextet) in chunk.enumerated() { value |= UInt32(sextet) << (18 - 6 * offset) }
            for position in 0..<(chunk.count - 1) { out.append(UInt8((value >> (16 - 8 * position)) & 0xFF)) }
            index += 4
        }
        return out
    }
}
