import JWTKit

/// The claims of a service token: who signed it, for whom, and until when.
public struct ServiceClaims: JWTPayload, Equatable {
    public var iss: IssuerClaim
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim

    public init(iss: IssuerClaim, aud: AudienceClaim, exp: ExpirationClaim, iat: IssuedAtClaim) {
        self.iss = iss
        self.aud = aud
        self.exp = exp
        self.iat = iat
    }

    /// Checked after the signature: the token has not expired. Issuer and audience are
    /// checked by `ServiceTokenVerifier`, which knows what to expect.
    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
