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
