import JWTKit
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Signs short-lived HS256 service tokens with the shared secret, reusing one token for the
/// first half of its life so a busy caller does not sign per call.
///
/// ```swift
/// let signer = ServiceTokenSigner(secret: secret, issuer: ServiceIdentity.orders, audience: ServiceIdentity.payments)
/// options.metadata.replace(ServiceIdentity.metadataKey, try await signer.authorizationValue())
/// ```
public final class ServiceTokenSigner: Sendable {
    private let ready: Task<JWTKeyCollection, Never>
    private let issuer: String
    private let audience: String
    private let lifetime: Duration
    private let cached = Mutex<(value: String, renewAfter: Date)?>(nil)

    /// - Parameter lifetime: how long a token is valid (`exp` = now + lifetime).
    public init(secret: String, issuer: String, audience: String, lifetime: Duration = .seconds(60)) {
        let keys = JWTKeyCollection()
        let key = HMACKey(from: secret)
        // The key collection is an actor: the key is added once, before the first signature.
        self.ready = Task { await keys.add(hmac: key, digestAlgorithm: .sha256) }
        self.issuer = issuer
        self.audience = audience
        self.lifetime = lifetime
    }

    /// `Bearer <token>` for the `authorization` metadata.
    public func authorizationValue() async throws -> String {
        let now = Date.now
        if let cached = cached.withLock({ $0 }), cached.renewAfter > now { return cached.value }
        let value = "Bearer " + (try await token(now: now))
        cached.withLock { $0 = (value, now.addingTimeInterval(seconds(lifetime) / 2)) }
        return value
    }

    /// A new token issued at `now`.
    public func token(now: Date = .now) async throws -> String {
        let claims = ServiceClaims(
            iss: IssuerClaim(value: issuer), aud: AudienceClaim(value: [audience]),
            exp: ExpirationClaim(value: now.addingTimeInterval(seconds(lifetime))), iat: IssuedAtClaim(value: now)
        )
        return try await ready.value.sign(claims)
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// The names services use for each other in tokens (`iss`, `aud`).
public enum ServiceIdentity {
    /// Orders signs its calls to Payments as this issuer.
    public static let orders = "orderhub-orders"
    /// Payments accepts tokens for this audience only.
    public static let payments = "orderhub-payments"
    /// The metadata key the token travels in, as `Bearer <token>`.
    public static let metadataKey = "authorization"
}

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
