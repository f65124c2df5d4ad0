import CustomerAuth
import JWTKit
import RPC
import Testing
import Foundation

@Suite("Customer tokens: HS256 secret and RS256/ES256 JWKS")
struct CustomerTokenVerifierTests {
    let factory: TokenFactory
    let verifier: CustomerTokenVerifier

    init() async throws {
        factory = try TokenFactory.make()
        verifier = try await Self.verifier(factory: factory)
    }

    static func verifier(
        factory: TokenFactory, secret: String? = TokenFactory.secret, jwks: Bool = true, issuer: String? = nil, audience: String? = nil
    ) async throws -> CustomerTokenVerifier {
        let keys = try CustomerTokenKeys(secret: secret, jwksJSON: jwks ? try factory.jwks() : nil)
        return try await CustomerTokenVerifier(
            keys: keys, config: .init(issuer: issuer, audience: audience), now: { TokenFactory.now }
        )
    }

    /// The status the verifier gives `token`, or nil when it accepts it.
    func rejection(_ token: String, by verifier: CustomerTokenVerifier? = nil) async -> RPCError? {
        do {
            _ = try await (verifier ?? self.verifier).verify(authorization: "Bearer " + token)
            return nil
        } catch {
            return error
        }
    }

    @Test func hs256TokenNamesTheCustomer() async throws {
        let identity = try await verifier.verify(authorization: "Bearer " + (try await TokenFactory.hs256(TokenFactory.claims())))
        #expect(identity.subject == "alice")
        #expect(!identity.isAdmin)
        #expect(identity.expiresAt == TokenFactory.now.addingTimeInterval(3600))
    }

    @Test func rs256AndEs256TokensFromTheJWKSVerify() async throws {
        let rsa = try await verifier.verify(token: try await factory.rs256(TokenFactory.claims(sub: "bob")))
        let ec = try await verifier.verify(token: try await factory.es256(TokenFactory.claims(sub: "carol", scope: "orders:read orders:admin")))
        #expect(rsa.subject == "bob" && !rsa.isAdmin)
        #expect(ec.subject == "carol" && ec.isAdmin)
        // One key per algorithm: a token without kid finds it.
        #expect(await rejection(try await factory.es256(TokenFactory.claims(), kid: nil)) == nil)
    }

    @Test func metadataCarriesTheToken() async throws {
        let token = try await TokenFactory.hs256(TokenFactory.claims())
        #expect(try await verifier.verify(["authorization": .string("bearer  " + token)]).subject == "alice")
        await #expect(throws: RPCError.self) { try await verifier.verify([:]) }
        await #expect(throws: RPCError.self) { try await verifier.verify(["authorization": .string(token)]) }
        await #expect(throws: RPCError.self) { try await verifier.verify(["authorization": "Basic YWxpY2U6cHc="]) }
        await #expect(throws: RPCError.self) { try await verifier.verify(["x-user-id": "alice", "x-customer-id": "alice"]) }
    }

    @Test(arguments: ["", "abc", "a.b", "a.b.c", "e30.e30.", "!!!.e30.x", "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln"])
    func malformedTokensAreUnauthenticated(_ token: String) async {
        #expect(await rejection(token)?.code == .unauthenticated)
    }

    @Test func algNoneIsRefused() async {
        let payload = #"{"sub":"alice","exp":\#(Int(TokenFactory.now.timeIntervalSince1970) + 3600)}"#
        let unsigned = TokenFactory.handMade(header: #"{"alg":"none","typ":"JWT"}"#, payload: payload, key: nil)
        #expect(await rejection(unsigned)?.code == .unauthenticated)
        let noneWithSignature = TokenFactory.handMade(header: #"{"alg":"none"}"#, payload: payload)
        #expect(await rejection(noneWithSignature)?.code == .unauthenticated)
    }

    @Test func algorithmsWithoutAConfiguredKeyAreRefused() async throws {
        let payload = #"{"sub":"alice","exp":\#(Int(TokenFactory.now.timeIntervalSince1970) + 3600)}"#
        // HS256 keyed with the RSA key's id, signed with the JWKS text itself (the classic
        // confusion attack): refused because rsa-1 verifies RS256 only.
        let confused = TokenFactory.handMade(header: #"{"alg":"HS256","kid":"rsa-1"}"#, payload: payload, key: Array(try factory.jwks().utf8))
        #expect(await rejection(confused)?.code == .unauthenticated)
        // RS256 against the EC key, and algorithms never configured.
        #expect(await rejection(try await factory.rs256(TokenFactory.claims(), kid: "ec-1"))?.code == .unauthenticated)
        for alg in ["HS384", "HS512", "RS512", "PS256", "ES384", "EdDSA"] {
            #expect(await rejection(TokenFactory.handMade(header: #"{"alg":"\#(alg)"}"#, payload: payload))?.code == .unauthenticated)
        }
        // HS256 with no secret configured.
        let jwksOnly = try await Self.verifier(factory: factory, secret: nil)
        #expect(await rejection(try await TokenFactory.hs256(TokenFactory.claims()), by: jwksOnly)?.code == .unauthenticated)
        #expect(await rejection(try await factory.rs256(TokenFactory.claims()), by: jwksOnly) == nil)
        // RS256 with no JWKS configured.
        let secretOnly = try await Self.verifier(factory: factory, jwks: false)
        #expect(await rejection(try await factory.rs256(TokenFactory.claims()), by: secretOnly)?.code == .unauthenticated)
    }

    @Test func unknownKidIsRefused() async throws {
        #expect(await rejection(try await factory.rs256(TokenFactory.claims(), kid: "rsa-2"))?.code == .unauthenticated)
    }

    @Test func wrongSignatureIsRefused() async throws {
        #expect(await rejection(try await TokenFactory.hs256(TokenFactory.claims(), secret: String(repeating: "x", count: 40)))?.code == .unauthenticated)
        let other = try TokenFactory.make()
        #expect(await rejection(try await other.rs256(TokenFactory.claims()))?.code == .unauthenticated)
        #expect(await rejection(try await other.es256(TokenFactory.claims()))?.code == .unauthenticated)
        // A valid token with its payload swapped for another customer's.
        let parts = try await TokenFactory.hs256(TokenFactory.claims()).split(separator: ".")
        let bob = try await TokenFactory.hs256(TokenFactory.claims(sub: "bob")).split(separator: ".")
        #expect(await rejection([parts[0], bob[1], parts[2]].joined(separator: "."))?.code == .unauthenticated)
    }

    @Test func expiryIsRequiredAndChecked() async throws {
        #expect(await rejection(try await TokenFactory.hs256(TokenFactory.claims(exp: nil)))?.message.contains("exp") == true)
        #expect(await rejection(try await TokenFactory.hs256(TokenFactory.claims(exp: TokenFactory.now)))?.code == .unauthenticated)
        #expect(await rejection(try await factory.es256(TokenFactory.claims(exp: TokenFactory.now.addingTimeInterval(-1))))?.code == .unauthenticated)
    }

    @Test func notBeforeInTheFutureIsRefused() async throws {
        #expect(await rejection(try await TokenFactory.hs256(TokenFactory.claims(nbf: TokenFactory.now.addingTimeInterval(60))))?.code == .unauthenticated)
        #expect(await rejection(try await TokenFactory.hs256(TokenFactory.claims(nbf: TokenFactory.now.addingTimeInterval(-60)))) == nil)
    }

    @Test func issuerAndAudienceAreCheckedWhenConfigured() async throws {
        let strict = try await Self.verifier(factory: factory, issuer: "https://id.example", audience: "orderhub")
        let good = TokenFactory.claims(iss: "https://id.example", aud: "orderhub")
        #expect(await rejection(try await TokenFactory.hs256(good), by: strict) == nil)
        #expect(await rejection(try await factory.rs256(good), by: strict) == nil)
        for claims in [
            TokenFactory.claims(iss: "https://evil.example", aud: "orderhub"), TokenFactory.claims(aud: "orderhub"),
            TokenFactory.claims(iss: "https://id.example", aud: "other"), TokenFactory.claims(iss: "https://id.example"),
        ] {
            #expect(await rejection(try await TokenFactory.hs256(claims), by: strict)?.code == .unauthenticated)
        }
        // Not configured: not checked.
        #expect(await rejection(try await TokenFactory.hs256(TokenFactory.claims(iss: "anyone", aud: "anything"))) == nil)
    }

    @Test func subjectMustBeACustomerID() async throws {
        for sub in [nil, "", String(repeating: "a", count: 65), "al\u{0}ice"] as [String?] {
            #expect(await rejection(try await TokenFactory.hs256(TokenFactory.claims(sub: sub)))?.code == .unauthenticated)
        }
    }

    @Test func criticalHeaderExtensionsAreRefused() async {
        let payload = #"{"sub":"alice","exp":\#(Int(TokenFactory.now.timeIntervalSince1970) + 3600)}"#
        #expect(await rejection(TokenFactory.handMade(header: #"{"alg":"HS256","crit":["b64"],"b64":false}"#, payload: payload))?.code == .unauthenticated)
        // The same payload with a plain header is fine: the refusal is the crit header's.
        #expect(await rejection(TokenFactory.handMade(header: #"{"alg":"HS256"}"#, payload: payload)) == nil)
    }

    @Test func aCachedTokenStillExpires() async throws {
        let clock = TestClock(TokenFactory.now)
        let verifier = try await CustomerTokenVerifier(
            keys: try CustomerTokenKeys(secret: TokenFactory.secret, jwksJSON: nil), now: { clock.now }
        )
        let token = try await TokenFactory.hs256(TokenFactory.claims(exp: TokenFactory.now.addingTimeInterval(10)))
        #expect(try await verifier.verify(token: token).subject == "alice")
        #expect(try await verifier.verify(token: token).subject == "alice")
        clock.now = TokenFactory.now.addingTimeInterval(10)
        await #expect(throws: RPCError.self) { try await verifier.verify(token: token) }
    }

    @Test func onlyATokenVerifiedBeforeIsKnownWithoutVerifying() async throws {
        let clock = TestClock(TokenFactory.now)
        let verifier = try await CustomerTokenVerifier(
            keys: try CustomerTokenKeys(secret: TokenFactory.secret, jwksJSON: nil), now: { clock.now }
        )
        let token = try await TokenFactory.hs256(TokenFactory.claims(exp: TokenFactory.now.addingTimeInterval(10)))
        let metadata: Metadata = ["authorization": .string("Bearer " + token)]
        #expect(verifier.cachedIdentity(metadata) == nil, "never verified: only verify may decide")
        #expect(try await verifier.verify(metadata).subject == "alice")
        #expect(verifier.cachedIdentity(metadata)?.subject == "alice")
        // Another token verified since: the first is still known, from the token cache.
        let other = try await TokenFactory.hs256(TokenFactory.claims(sub: "bob"))
        #expect(try await verifier.verify(["authorization": .string("Bearer " + other)]).subject == "bob")
        #expect(verifier.cachedIdentity(metadata)?.subject == "alice")
        #expect(verifier.cachedIdentity(["authorization": "Bearer x.y.z"]) == nil)
        #expect(verifier.cachedIdentity(["authorization": .string(token)]) == nil, "not a Bearer value")
        #expect(verifier.cachedIdentity([:]) == nil)
        clock.now = TokenFactory.now.addingTimeInterval(10)
        #expect(verifier.cachedIdentity(metadata) == nil, "expired")
    }

    @Test func keysAreCheckedAtStart() throws {
        #expect(throws: CustomerTokenKeys.Problem.self) { try CustomerTokenKeys(secret: nil, jwksJSON: nil) }
        #expect(throws: CustomerTokenKeys.Problem.self) { try CustomerTokenKeys(secret: "short", jwksJSON: nil) }
        #expect(throws: CustomerTokenKeys.Problem.self) { try CustomerTokenKeys(secret: nil, jwksJSON: "{}") }
        #expect(throws: CustomerTokenKeys.Problem.self) { try CustomerTokenKeys(secret: nil, jwksJSON: #"{"keys":[]}"#) }
        let noKid = try factory.jwks().replacingOccurrences(of: #""kid":"rsa-1""#, with: #""use":"sig""#)
        #expect(throws: CustomerTokenKeys.Problem.self) { try CustomerTokenKeys(secret: nil, jwksJSON: noKid) }
        let keys = try CustomerTokenKeys(secret: TokenFactory.secret, jwksJSON: try factory.jwks())
        #expect(keys.algorithms == ["HS256", "RS256", "ES256"])
    }
}
