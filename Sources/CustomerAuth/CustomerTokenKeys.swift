import JWTKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The keys customer tokens may be signed with: an HS256 secret, public keys from a JWKS
/// document (RS256 for RSA keys, ES256 for P-256 keys), or both. Each algorithm is accepted
/// only when a key for it is configured.
///
/// ```swift
/// let keys = try CustomerTokenKeys(secret: nil, jwksJSON: String(decoding: data, as: UTF8.self))
/// let verifier = CustomerTokenVerifier(keys: keys)
/// ```
public struct CustomerTokenKeys: Sendable {
    /// A key that cannot be used, with the reason.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// One public key of the JWKS, with the algorithm it verifies.
    struct PublicKey: Sendable {
        var kid: String
        var algorithm: String
        var jwk: JWK
    }

    /// HS256 secrets shorter than this are refused: a short shared secret can be brute-forced
    /// offline from any one token.
    public static let minimumSecretBytes = 32

    let secret: String?
    let publicKeys: [PublicKey]

    /// Throws `Problem` for a short secret, a JWKS that does not parse, a key without `kid`,
    /// a private key, or a key that is neither RSA nor EC P-256; and when neither is given.
    public init(secret: String?, jwksJSON: String?) throws(Problem) {
        if let secret, secret.utf8.count < Self.minimumSecretBytes {
            throw Problem(description: "the user-token secret must be at least \(Self.minimumSecretBytes) bytes")
        }
        self.secret = secret
        self.publicKeys = try jwksJSON.map(Self.publicKeys(fromJWKS:)) ?? []
        guard secret != nil || !publicKeys.isEmpty else { throw Problem(description: "no user-token key is configured") }
    }

    /// The algorithms a token header may name.
    public var algorithms: Set<String> {
        Set(publicKeys.map(\.algorithm) + (secret == nil ? [] : ["HS256"]))
    }

    private static func publicKeys(fromJWKS json: String) throws(Problem) -> [PublicKey] {
        let jwks: JWKS
        do {
            jwks = try JSONDecoder().decode(JWKS.self, from: Data(json.utf8))
        } catch {
            throw Problem(description: "the JWKS file is not a JSON Web Key Set: \(error)")
        }
        guard !jwks.keys.isEmpty else { throw Problem(description: "the JWKS file has no keys") }
        var seen: Set<String> = []
        return try jwks.keys.map { (jwk: JWK) throws(Problem) -> PublicKey in
            guard let kid = jwk.keyIdentifier?.string, !kid.isEmpty else {
                throw Problem(description: "every key in the JWKS file needs a \"kid\" (tokens name their key with it)")
            }
            guard seen.insert(kid).inserted else { throw Problem(description: "the JWKS file has two keys with kid \"\(kid)\"") }
            guard jwk.privateExponent == nil else {
                throw Problem(description: "key \"\(kid)\" in the JWKS file is a private key; give only public keys")
            }
            let algorithm: String
            switch (jwk.keyType, jwk.curve) {
            case (.rsa, _): algorithm = "RS256"
            case (.ecdsa, .ecdsa(.p256)?): algorithm = "ES256"
            default: throw Problem(description: "key \"\(kid)\" in the JWKS file is neither RSA nor EC P-256")
            }
            if let named = jwk.algorithm, named.rawValue != algorithm {
                throw Problem(description: "key \"\(kid)\" names alg \(named.rawValue); only RS256 (RSA) and ES256 (P-256) are accepted")
            }
            // Pin the algorithm: without `alg` jwt-kit would take the token header's word for it.
            var pinned = jwk
            pinned.algorithm = JWK.Algorithm(rawValue: algorithm)
            return PublicKey(kid: kid, algorithm: algorithm, jwk: pinned)
        }
    }
}
