#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Who a verified customer token says the caller is.
public struct CustomerIdentity: Sendable, Hashable {
    /// The scope that lets a caller act on every customer's orders.
    public static let adminScope = "orders:admin"

    /// The token's `sub`: the customer id.
    public let subject: String
    /// The token's `scope`, split on spaces.
    public let scopes: Set<String>
    /// The token's `exp`: after this the identity no longer holds.
    public let expiresAt: Date

    public init(subject: String, scopes: Set<String>, expiresAt: Date) {
        self.subject = subject
        self.scopes = scopes
        self.expiresAt = expiresAt
    }

    /// Whether the token carries `orders:admin`.
    public var isAdmin: Bool { scopes.contains(Self.adminScope) }
}
