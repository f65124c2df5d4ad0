#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JWTKit

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

/// The claims of a customer token as an identity provider writes them. Every field is
/// optional here so `CustomerTokenVerifier` can say which one is missing or wrong; it, not
/// this type, decides what a valid token is (it knows the time and the configured issuer).
public struct CustomerClaims: JWTPayload, Equatable {
    /// The customer id.
    public var sub: SubjectClaim?
    /// Required by the verifier: a token without one never expires, which we refuse.
    public var exp: ExpirationClaim?
    public var nbf: NotBeforeClaim?
    public var iat: IssuedAtClaim?
    public var iss: IssuerClaim?
    public var aud: AudienceClaim?
    /// Space-separated scopes (RFC 8693 §4.2); `orders:admin` makes the caller an admin.
    public var scope: String?

    public init(
        sub: SubjectClaim?, exp: ExpirationClaim?, nbf: NotBeforeClaim? = nil, iat: IssuedAtClaim? = nil,
        iss: IssuerClaim? = nil, aud: AudienceClaim? = nil, scope: String? = nil
    ) {
        self.sub = sub
        self.exp = exp
        self.nbf = nbf
        self.iat = iat
        self.iss = iss
        self.aud = aud
        self.scope = scope
    }

    /// Nothing to check beyond the signature here: `CustomerTokenVerifier` checks the claims.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
