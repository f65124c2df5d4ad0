@testable import CustomerAuth
import Foundation
import Testing

@Suite("Which key a token header may use: decided from alg and kid before any signature check")
struct VerificationKeysTests {
    @Test func onlyConfiguredAlgorithmsFindAKey() async throws {
        let factory = try TokenFactory.make()
        let both = try await VerificationKeys(CustomerTokenKeys(secret: TokenFactory.secret, jwksJSON: try factory.jwks()))
        #expect(both.collection(algorithm: "HS256", kid: nil) != nil)
        #expect(both.collection(algorithm: "RS256", kid: "rsa-1") != nil)
        #expect(both.collection(algorithm: "ES256", kid: "ec-1") != nil)
        #expect(both.collection(algorithm: "ES256", kid: nil) != nil, "the one ES256 key")
        for (alg, kid) in [
            ("none", nil), ("none", "rsa-1"), ("RS256", "ec-1"), ("ES256", "rsa-1"), ("RS256", "rsa-2"),
            ("RS384", "rsa-1"), ("PS256", "rsa-1"), ("ES384", "ec-1"), ("EdDSA", nil), ("HS512", nil),
        ] as [(String, String?)] {
            #expect(both.collection(algorithm: alg, kid: kid) == nil, "\(alg) \(kid ?? "-")")
        }
        let jwksOnly = try await VerificationKeys(CustomerTokenKeys(secret: nil, jwksJSON: try factory.jwks()))
        #expect(jwksOnly.collection(algorithm: "HS256", kid: nil) == nil)
        #expect(jwksOnly.collection(algorithm: "HS256", kid: "rsa-1") == nil, "HS256 never uses a public key")
        let secretOnly = try await VerificationKeys(CustomerTokenKeys(secret: TokenFactory.secret, jwksJSON: nil))
        #expect(secretOnly.collection(algorithm: "RS256", kid: nil) == nil)
    }

    @Test func withoutKidAnAmbiguousAlgorithmFindsNoKey() async throws {
        let first = try TokenFactory.make(), second = try TokenFactory.make()
        let one = try first.jwks(),
            other = try second.jwks().replacingOccurrences(of: "rsa-1", with: "rsa-2")
                .replacingOccurrences(of: "ec-1", with: "ec-2")
        let merged = one.replacingOccurrences(of: "]}", with: ",") + other.replacingOccurrences(of: #"{"keys":["#, with: "")
        let keys = try await VerificationKeys(CustomerTokenKeys(secret: nil, jwksJSON: merged))
        #expect(keys.collection(algorithm: "RS256", kid: nil) == nil, "two RS256 keys: the token must name one")
        #expect(keys.collection(algorithm: "RS256", kid: "rsa-2") != nil)
    }
}
