import JWTKit
import RPC
import ServiceAuth
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Verifies the customer token of a call: `authorization: Bearer <JWT>` signed with a
/// configured key (the header's `alg` must be one configured, never `none`), with `exp` in the
/// future, `nbf` (if any) not in the future, a `sub`, and the configured `iss`/`aud`. Anything
/// else is UNAUTHENTICATED. A verified token is remembered until it expires.
///
/// ```swift
/// let verifier = try await CustomerTokenVerifier(keys: try CustomerTokenKeys(secret: secret, jwksJSON: nil))
/// let identity = try await verifier.verify(context.requestMetadata)   // identity.subject == "alice"
/// ```
public final class CustomerTokenVerifier: Sendable {
    /// What a token must say besides being well signed.
    public struct Config: Sendable {
        /// When set, `iss` must equal it.
        public var issuer: String?
        /// When set, `aud` must contain it.
        public var audience: String?
        /// Verified tokens kept; 0 turns the cache off.
        public var cacheCapacity: Int

        public init(issuer: String? = nil, audience: String? = nil, cacheCapacity: Int = 10_000) {
            self.issuer = issuer
            self.audience = audience
            self.cacheCapacity = cacheCapacity
        }

        public static var defaults: Config { Config() }
    }

    /// The metadata key the token travels in.
    public static let metadataKey = "authorization"
    /// Customer ids are at most this long: Orders refuses longer ids (`OrderValidation`).
    static let maxSubjectBytes = 64

    private let keys: VerificationKeys
    private let config: Config
    private let cache: VerifiedTokenCache
    private let now: @Sendable () -> Date

    /// Throws `CustomerTokenKeys.Problem` when a JWKS key's material is unusable.
    /// - Parameter now: the clock `exp` and `nbf` are checked against (tests move it).
    public init(
        keys: CustomerTokenKeys, config: Config = .defaults, now: @escaping @Sendable () -> Date = { Date.now }
    ) async throws(CustomerTokenKeys.Problem) {
        self.keys = try await VerificationKeys(keys)
        self.config = config
        self.cache = VerifiedTokenCache(capacity: config.cacheCapacity)
        self.now = now
    }

    /// The caller named by the metadata's bearer token; throws UNAUTHENTICATED otherwise.
    public func verify(_ metadata: Metadata) async throws(RPCError) -> CustomerIdentity {
        try await verify(authorization: metadata[Self.metadataKey])
    }

    /// The caller the metadata's bearer token names when that token verified before and has
    /// not expired; nil otherwise (`verify` decides then). Never waits: no signature check.
    public func cachedIdentity(_ metadata: Metadata) -> CustomerIdentity? {
        guard let authorization = metadata[Self.metadataKey] else { return nil }
        let now = self.now()
        if let identity = cache.identity(forAuthorization: authorization, now: now) { return identity }
        guard let token = try? Self.bearerToken(in: authorization), let identity = cache.identity(for: token, now: now) else { return nil }
        cache.remember(identity, forAuthorization: authorization)
        return identity
    }

    /// The caller named by an `Authorization` value (`Bearer <token>`).
    public func verify(authorization: String?) async throws(RPCError) -> CustomerIdentity {
        guard let authorization else { throw .unauthenticated("missing customer token (authorization: Bearer …)") }
        // The same value as the last call's (a client's every call): no parsing, no hashing.
        if let identity = cache.identity(forAuthorization: authorization, now: now()) { return identity }
        let identity = try await verify(token: try Self.bearerToken(in: authorization))
        cache.remember(identity, forAuthorization: authorization)
        return identity
    }

    /// The token of a `Bearer <token>` value (the scheme in any case).
    private static func bearerToken(in authorization: String) throws(RPCError) -> String {
        let prefix = "bearer "
        guard authorization.count > prefix.count, authorization.prefix(prefix.count).lowercased() == prefix else {
            throw .unauthenticated("the authorization is not a Bearer token")
        }
        return String(authorization.dropFirst(prefix.count).drop { $0 == " " })
    }

    /// The caller `token` names; throws UNAUTHENTICATED unless it is valid now.
    public func verify(token: String) async throws(RPCError) -> CustomerIdentity {
        let now = self.now()
        if let identity = cache.identity(for: token, now: now) { return identity }
        guard let header = JWTHeader(token: token) else { throw .unauthenticated("malformed token") }
        guard header.crit == nil else { throw .unauthenticated("the token has critical header extensions, which are not supported") }
        guard let collection = keys.collection(algorithm: header.alg, kid: header.kid) else {
            throw .unauthenticated("the token's algorithm or key (alg \(header.alg)) is not accepted")
        }
        let claims: CustomerClaims
        do {
            claims = try await collection.verify(token, as: CustomerClaims.self)
        } catch {
            throw .unauthenticated("invalid token")
        }
        let identity = try check(claims, now: now)
        cache.store(identity, for: token, now: now)
        return identity
    }

    private func check(_ claims: CustomerClaims, now: Date) throws(RPCError) -> CustomerIdentity {
        guard let exp = claims.exp?.value else { throw .unauthenticated("the token has no expiry (exp)") }
        guard exp > now else { throw .unauthenticated("the token has expired") }
        if let notBefore = claims.nbf?.value, notBefore > now { throw .unauthenticated("the token is not valid yet (nbf)") }
        if let issuer = config.issuer, claims.iss?.value != issuer { throw .unauthenticated("the token has the wrong issuer") }
        if let audience = config.audience, claims.aud?.value.contains(audience) != true {
            throw .unauthenticated("the token is not for this audience")
        }
        guard let subject = claims.sub?.value, !subject.isEmpty, subject.utf8.count <= Self.maxSubjectBytes,
            !subject.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw .unauthenticated("the token's subject (sub) is missing or not a customer id")
        }
        let scopes = Set((claims.scope ?? "").split(separator: " ").map(String.init))
        return CustomerIdentity(subject: subject, scopes: scopes, expiresAt: exp)
    }
}
