import JWTKit
import RPC
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Checks the service token of each call: `authorization: Bearer <JWT>`, HS256 with the
/// shared secret, the expected issuer and audience, not expired. Anything else is
/// UNAUTHENTICATED. A server applies it per call to `ServerContext.requestMetadata`.
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
        let claims: ServiceClaims
        do {
            claims = try await ready.value.verify(token, as: ServiceClaims.self)
        } catch {
            throw .unauthenticated("invalid service token")
        }
        guard claims.exp.value > now else { throw .unauthenticated("the service token has expired") }
        guard claims.iss.value == issuer else { throw .unauthenticated("the service token has the wrong issuer") }
        guard claims.aud.value.contains(audience) else { throw .unauthenticated("the service token is not for this service") }
        lastVerified.withLock { $0 = (token, claims.exp.value) }
    }
}
