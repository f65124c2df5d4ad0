import RPC
import Synchronization
import ServiceAuth
import Testing
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("Service tokens (HS256 JWT)")
struct ServiceTokenTests {
    static let secret = "test-secret-0123456789abcdef0123456789abcdef"
    let verifier = ServiceTokenVerifier(secret: secret, issuer: ServiceIdentity.orders, audience: ServiceIdentity.payments)

    func signer(
        secret: String = secret, issuer: String = ServiceIdentity.orders, audience: String = ServiceIdentity.payments,
        lifetime: Duration = .seconds(60)
    ) -> ServiceTokenSigner {
        ServiceTokenSigner(secret: secret, issuer: issuer, audience: audience, lifetime: lifetime)
    }

    func rejection(_ metadata: Metadata) async -> RPCError? {
        do {
            try await verifier.verify(metadata)
            return nil
        } catch {
            return error
        }
    }

    @Test func validTokenPasses() async throws {
        let value = try await signer().authorizationValue()
        #expect(value.hasPrefix("Bearer "))
        #expect(await rejection([ServiceIdentity.metadataKey: .string(value)]) == nil)
        // Verified again from the cache.
        #expect(await rejection([ServiceIdentity.metadataKey: .string(value)]) == nil)
    }

    @Test func signerReusesItsTokenForAWhile() async throws {
        let signer = signer()
        let first = try await signer.authorizationValue()
        #expect(try await signer.authorizationValue() == first)
    }

    @Test func missingTokenIsUnauthenticated() async {
        #expect(await rejection([:])?.code == .unauthenticated)
        #expect(await rejection(["x-other": "Bearer abc"])?.code == .unauthenticated)
    }

    @Test func notABearerTokenIsUnauthenticated() async throws {
        let token = try await signer().token()
        #expect(await rejection([ServiceIdentity.metadataKey: .string(token)])?.code == .unauthenticated)
        #expect(await rejection([ServiceIdentity.metadataKey: "Basic dXNlcjpwYXNz"])?.code == .unauthenticated)
        #expect(await rejection([ServiceIdentity.metadataKey: "Bearer "])?.code == .unauthenticated)
    }

    @Test func badSignatureIsUnauthenticated() async throws {
        let forged = try await signer(secret: "another-secret-that-is-long-enough-000000").authorizationValue()
        #expect(await rejection([ServiceIdentity.metadataKey: .string(forged)])?.code == .unauthenticated)
        // A valid token with one signature character changed.
        let valid = try await signer().token()
        var tampered = Array(valid)
        tampered[tampered.count - 2] = tampered[tampered.count - 2] == "A" ? "B" : "A"
        #expect(await rejection([ServiceIdentity.metadataKey: .string("Bearer " + String(tampered))])?.code == .unauthenticated)
        #expect(await rejection([ServiceIdentity.metadataKey: "Bearer not.a.jwt"])?.code == .unauthenticated)
    }

    @Test func unsignedTokenIsUnauthenticated() async throws {
        // alg "none", the classic downgrade: header and claims valid, no signature.
        let valid = try await signer().token()
        let claims = valid.split(separator: ".")[1]
        let header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"
        #expect(await rejection([ServiceIdentity.metadataKey: .string("Bearer \(header).\(claims).")])?.code == .unauthenticated)
    }

    @Test func expiredTokenIsUnauthenticated() async throws {
        let expired = try await signer().token(now: Date.now.addingTimeInterval(-120))
        let error = await rejection([ServiceIdentity.metadataKey: .string("Bearer " + expired)])
        #expect(error?.code == .unauthenticated)
        #expect(error?.message.contains("expired") == true)
    }

    @Test func cachedTokenStillExpires() async throws {
        let clock = Mutex(Date.now)
        let verifier = ServiceTokenVerifier(
            secret: Self.secret, issuer: ServiceIdentity.orders, audience: ServiceIdentity.payments,
            now: { clock.withLock { $0 } })
        let token = try await signer(lifetime: .seconds(60)).token(now: clock.withLock { $0 })
        try await verifier.verify(token: token)
        // The same token again, after its expiry: answered from the cache, and still refused.
        clock.withLock { $0 = $0.addingTimeInterval(61) }
        await #expect(throws: RPCError.unauthenticated("the service token has expired")) { try await verifier.verify(token: token) }
    }

    @Test func wrongAudienceOrIssuerIsUnauthenticated() async throws {
        let wrongAudience = try await signer(audience: "orderhub-gateway").authorizationValue()
        #expect(await rejection([ServiceIdentity.metadataKey: .string(wrongAudience)])?.code == .unauthenticated)
        let wrongIssuer = try await signer(issuer: "someone-else").authorizationValue()
        #expect(await rejection([ServiceIdentity.metadataKey: .string(wrongIssuer)])?.code == .unauthenticated)
    }

    @Test func aHandMadeHS256TokenPasses() async throws {
        // The control for the tests below: the hand-made token is valid as it stands.
        let token = HandMadeToken.make(header: #"{"alg":"HS256","typ":"JWT"}"#, claims: HandMadeToken.claims(), secret: Self.secret)
        #expect(await rejection([ServiceIdentity.metadataKey: .string("Bearer " + token)]) == nil)
    }

    @Test(arguments: ["HS512", "HS384", "RS256", "none", "hs256"])
    func anAlgorithmOtherThanHS256IsRefusedEvenWhenTheSignatureVerifies(alg: String) async throws {
        let token = HandMadeToken.make(header: #"{"alg":"\#(alg)","typ":"JWT"}"#, claims: HandMadeToken.claims(), secret: Self.secret)
        let error = await rejection([ServiceIdentity.metadataKey: .string("Bearer " + token)])
        #expect(error?.code == .unauthenticated)
    }

    @Test func aTokenNotValidYetIsRefused() async throws {
        let token = HandMadeToken.make(header: #"{"alg":"HS256","typ":"JWT"}"#, claims: HandMadeToken.claims(notBeforeIn: 300), secret: Self.secret)
        let error = await rejection([ServiceIdentity.metadataKey: .string("Bearer " + token)])
        #expect(error?.code == .unauthenticated)
        #expect(error?.message.contains("not valid yet") == true)
        // A small clock skew is tolerated.
        let skewed = HandMadeToken.make(header: #"{"alg":"HS256","typ":"JWT"}"#, claims: HandMadeToken.claims(notBeforeIn: 5), secret: Self.secret)
        #expect(await rejection([ServiceIdentity.metadataKey: .string("Bearer " + skewed)]) == nil)
    }

    @Test func aTokenLivingLongerThanTenMinutesIsRefused() async throws {
        let header = #"{"alg":"HS256","typ":"JWT"}"#
        let longLived = HandMadeToken.make(header: header, claims: HandMadeToken.claims(expiresIn: 3600, issuedAgo: 0), secret: Self.secret)
        let error = await rejection([ServiceIdentity.metadataKey: .string("Bearer " + longLived)])
        #expect(error?.code == .unauthenticated)
        #expect(error?.message.contains("lifetime") == true)
        // Without iat, expiry itself may be at most the bound away.
        let farExpiry = HandMadeToken.make(header: header, claims: HandMadeToken.claims(expiresIn: 3600, issuedAgo: nil), secret: Self.secret)
        #expect(await rejection([ServiceIdentity.metadataKey: .string("Bearer " + farExpiry)])?.code == .unauthenticated)
        let tenMinutes = HandMadeToken.make(header: header, claims: HandMadeToken.claims(expiresIn: 590, issuedAgo: 0), secret: Self.secret)
        #expect(await rejection([ServiceIdentity.metadataKey: .string("Bearer " + tenMinutes)]) == nil)
        #expect(ServiceTokenVerifier.maxLifetime == .seconds(600))
    }
}
