import JWTKit

/// One jwt-kit key collection per configured key, so a token is checked against exactly the
/// key its header names and no fallback: jwt-kit alone would try its default key when the
/// `kid` is unknown.
struct VerificationKeys: Sendable {
    private let hmac: JWTKeyCollection?
    /// By `kid`: the algorithm the key verifies and its collection.
    private let publicKeys: [String: (algorithm: String, keys: JWTKeyCollection)]

    init(_ keys: CustomerTokenKeys) async throws(CustomerTokenKeys.Problem) {
        if let secret = keys.secret {
            hmac = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        } else {
            hmac = nil
        }
        var publicKeys: [String: (algorithm: String, keys: JWTKeyCollection)] = [:]
        for key in keys.publicKeys {
            do {
                publicKeys[key.kid] = (key.algorithm, try await JWTKeyCollection().add(jwk: key.jwk, isDefault: true))
            } catch {
                throw CustomerTokenKeys.Problem(description: "key \"\(key.kid)\" in the JWKS file is unusable: \(error)")
            }
        }
        self.publicKeys = publicKeys
    }

    /// The collection for a token whose header says `algorithm` and `kid`, or nil when no
    /// configured key verifies that algorithm. Without a `kid`, a public key is used only when
    /// it is the one key for the algorithm.
    func collection(algorithm: String, kid: String?) -> JWTKeyCollection? {
        if algorithm == "HS256" { return hmac }
        if let kid {
            guard let key = publicKeys[kid], key.algorithm == algorithm else { return nil }
            return key.keys
        }
        let candidates = publicKeys.values.filter { $0.algorithm == algorithm }
        return candidates.count == 1 ? candidates[0].keys : nil
    }
}
