import JWTKit

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
