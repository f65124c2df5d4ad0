import JWTKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Signs HS256 customer tokens with the local user-token secret: what `orderhub token` prints
/// and what the gateway's dev sign-in hands out. Production tokens come from an identity
/// provider; this is for local use and tests.
///
/// ```swift
/// let signer = await CustomerTokenSigner(secret: secret)
/// let (token, expiresAt) = try await signer.token(customer: "alice", lifetime: .seconds(3600))
/// ```
public struct CustomerTokenSigner: Sendable {
    private let keys: JWTKeyCollection
    private let issuer: String?
    private let audience: String?

    /// - Parameters: `issuer` and `audience` are written into each token when set (as the
    ///   verifier on the other side may require).
    public init(secret: String, issuer: String? = nil, audience: String? = nil) async {
        self.keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.issuer = issuer
        self.audience = audience
    }

    /// A token for `customer`, valid from `now` for `lifetime`; `admin` adds `orders:admin`.
    public func token(customer: String, admin: Bool = false, lifetime: Duration, now: Date = .now) async throws -> (token: String, expiresAt: Date) {
        let seconds = Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) / 1e18
        // Whole seconds: `exp` is written as an integer, and the reply should say the same time.
        let expiresAt = Date(timeIntervalSince1970: (now.timeIntervalSince1970 + seconds).rounded(.down))
        let claims = CustomerClaims(
            sub: SubjectClaim(value: customer), exp: ExpirationClaim(value: expiresAt), iat: IssuedAtClaim(value: now),
            iss: issuer.map { IssuerClaim(value: $0) }, aud: audience.map { AudienceClaim(value: [$0]) },
            scope: admin ? CustomerIdentity.adminScope : nil
        )
        return (try await keys.sign(claims), expiresAt)
    }
}
