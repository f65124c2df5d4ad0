import JWTKit

/// The claims of a service token: who signed it, for whom, and until when.
public struct ServiceClaims: JWTPayload, Equatable {
    public var iss: IssuerClaim
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    /// Written by our signer; optional when verifying, since nothing checks it and RFC 7519
    /// makes it optional (a token from another JWT library may leave it out).
    public var iat: IssuedAtClaim?
    /// Not before: a token from another signer may carry it; ours never does.
    public var nbf: NotBeforeClaim?

    public init(iss: IssuerClaim, aud: AudienceClaim, exp: ExpirationClaim, iat: IssuedAtClaim?, nbf: NotBeforeClaim? = nil) {
        self.iss = iss
        self.aud = aud
        self.exp = exp
        self.iat = iat
        self.nbf = nbf
    }

    /// Nothing to check here beyond the signature: expiry, not-before, lifetime, issuer and
    /// audience are checked by `ServiceTokenVerifier`, which knows the time and what to expect.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
