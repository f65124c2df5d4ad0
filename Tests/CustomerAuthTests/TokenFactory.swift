import Crypto
import CustomerAuth
import JWTKit
import _CryptoExtras
import Foundation

/// Makes the tokens and keys the verifier tests need: well-formed ones signed by jwt-kit, and
/// hand-built ones (no `exp`, `alg: none`, HS256 over an RSA key's id) that no library would
/// write.
struct TokenFactory {
    static let secret = "customer-auth-tests-secret-0123456789abcdef"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    let rsa: JWTKit.Insecure.RSA.PrivateKey
    let ec: ES256PrivateKey

    static func make() throws -> TokenFactory {
        TokenFactory(rsa: try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048)), ec: ES256PrivateKey())
    }

    /// A JWKS with the public halves: `rsa-1` (RS256) and `ec-1` (ES256).
    func jwks() throws -> String {
        let (modulus, exponent) = try rsa.publicKey.getKeyPrimitives()
        let point = ec.publicKey.parameters!
        let keys = JWKS(keys: [
            .rsa(nil, identifier: "rsa-1", modulus: Self.base64URL(modulus), exponent: Self.base64URL(exponent)),
            .ecdsa(nil, identifier: "ec-1", x: point.x, y: point.y, curve: .p256),
        ])
        return String(decoding: try JSONEncoder().encode(keys), as: UTF8.self)
    }

    /// Claims valid at `now` for an hour.
    static func claims(
        sub: String? = "alice", exp: Date? = now.addingTimeInterval(3600), nbf: Date? = nil,
        iss: String? = nil, aud: String? = nil, scope: String? = nil
    ) -> CustomerClaims {
        CustomerClaims(
            sub: sub.map { SubjectClaim(value: $0) }, exp: exp.map { ExpirationClaim(value: $0) }, nbf: nbf.map { NotBeforeClaim(value: $0) },
            iss: iss.map { IssuerClaim(value: $0) }, aud: aud.map { AudienceClaim(value: [$0]) }, scope: scope
        )
    }

    static func hs256(_ claims: CustomerClaims, secret: String = secret) async throws -> String {
        try await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256).sign(claims)
    }

    func rs256(_ claims: CustomerClaims, kid: String? = "rsa-1") async throws -> String {
        let keys = await JWTKeyCollection().add(rsa: rsa, digestAlgorithm: .sha256)
        return try await keys.sign(claims, header: JWTHeader(fields: kid.map { ["kid": .string($0)] } ?? [:]))
    }

    func es256(_ claims: CustomerClaims, kid: String? = "ec-1") async throws -> String {
        let keys = await JWTKeyCollection().add(ecdsa: ec)
        return try await keys.sign(claims, header: JWTHeader(fields: kid.map { ["kid": .string($0)] } ?? [:]))
    }

    /// A token built by hand: `header` and `payload` JSON, HMAC-SHA256 over them with `key`
    /// (or an empty signature for `alg: none`).
    static func handMade(header: String, payload: String, key: [UInt8]? = Array(secret.utf8)) -> String {
        let input = base64URL(Data(header.utf8)) + "." + base64URL(Data(payload.utf8))
        guard let key else { return input + "." }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: key))
        return input + "." + base64URL(Data(mac))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
