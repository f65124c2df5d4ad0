import JWTKit
import RPC
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Checks the service token of each call: `authorization: Bearer <JWT>`, HS256 with the
/// shared secret (the header must say HS256: no other `alg` is taken even when the signature
/// verifies), the expected issuer and audience, not expired, not before its `nbf`, and living
/// no longer than `maxLifetime` (a leaked long-lived token would be a standing key). Anything
/// else is UNAUTHENTICATED. A server applies it per call to `ServerContext.requestMetadata`.
///
/// ```swift
/// func processPayment(_ request: ProcessPaymentRequest, context: ServerContext) async throws -> Payment {
///     try await verifier.verify(context.requestMetadata)
///     …
/// }
/// ```
public final class ServiceTokenVerifier: Sendable {
    private let ready: Task<JWTKeyCollection, Never>
    private let issuer: String
    private let audience: String
    /// The last token that verified, and when it expires: a caller reuses its token, so the
    /// signature check runs once per token, not once per call.
    private let lastVerified = Mutex<(token: String, expires: Date)?>(nil)

    private let now: @Sendable () -> Date

    /// The longest a service token may live (`exp` − `iat`, or `exp` − now without `iat`). Our
    /// signer issues 60-second tokens.
    public static let maxLifetime: Duration = .seconds(600)
    /// Clock skew tolerated between the signer and this verifier on `nbf` and `iat`.
    static let allowedSkew: TimeInterval = 30

    /// - Parameter now: the clock expiry is checked against (tests move it).
    public init(secret: String, issuer: String, audience: String, now: @escaping @Sendable () -> Date = { Date.now }) {
        self.now = now
        let keys = JWTKeyCollection()
        let key = HMACKey(from: secret)
        self.ready = Task { await keys.add(hmac: key, digestAlgorithm: .sha256) }
        self.issuer = issuer
        self.audience = audience
    }

    /// Throws UNAUTHENTICATED unless the metadata carries a valid token.
    public func verify(_ metadata: Metadata) async throws(RPCError) {
        guard let header = metadata[ServiceIdentity.metadataKey] else {
            throw .unauthenticated("missing service token (authorization: Bearer …)")
        }
        let prefix = "bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix else {
            throw .unauthenticated("the authorization metadata is not a Bearer token")
        }
        let token = header.dropFirst(prefix.count).drop { $0 == " " }
        try await verify(token: String(token))
    }

    /// Throws UNAUTHENTICATED unless `token` is valid.
    public func verify(token: String) async throws(RPCError) {
        let now = self.now()
        if let last = lastVerified.withLock({ $0 }), last.token == token {
            guard last.expires > now else { throw .unauthenticated("the service token has expired") }
            return
        }
        guard let header = JWTHeader(token: token), header.alg == "HS256", header.crit == nil else {
            throw .unauthenticated("invalid service token (HS256 expected)")
        }
        let claims: ServiceClaims
        do {
            claims = try await ready.value.verify(token, as: ServiceClaims.self)
        } catch {
            throw .unauthenticated("invalid service token")
        }
        guard claims.exp.value > now else { throw .unauthenticated("the service token has expired") }
        if let notBefore = claims.nbf?.value, notBefore > now.addingTimeInterval(Self.allowedSkew) {
            throw .unauthenticated("the service token is not valid yet")
        }
        let maxLifetime = TimeInterval(Self.maxLifetime.components.seconds)
        let issued = claims.iat.map { min($0.value, now.addingTimeInterval(Self.allowedSkew)) } ?? now
        guard claims.exp.value.timeIntervalSince(issued) <= maxLifetime else {
            throw .unauthenticated("the service token's lifetime is longer than \(Int(maxLifetime)) s")
        }
        guard claims.iss.value == issuer else { throw .unauthenticated("the service token has the wrong issuer") }
        guard claims.aud.value.contains(audience) else { throw .unauthenticated("the service token is not for this service") }
        lastVerified.withLock { $0 = (token, claims.exp.value) }
    }
}
