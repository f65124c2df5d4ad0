import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Service tokens built by hand, so a test can write what our signer never would: another
/// `alg` in the header over an HS256 signature, an `nbf`, a very long lifetime.
enum HandMadeToken {
    /// `header.claims.signature`, HMAC-SHA256 with `secret` whatever the header says.
    static func make(header: String, claims: String, secret: String) -> String {
        let signingInput = base64URL(Data(header.utf8)) + "." + base64URL(Data(claims.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return signingInput + "." + base64URL(Data(mac))
    }

    /// Claims Payments accepts, with the times given in seconds from now (nil leaves one out).
    static func claims(expiresIn: Int? = 60, issuedAgo: Int? = 0, notBeforeIn: Int? = nil) -> String {
        let now = Int(Date.now.timeIntervalSince1970)
        var fields = [#""iss":"orderhub-orders""#, #""aud":"orderhub-payments""#]
        if let expiresIn { fields.append(#""exp":\#(now + expiresIn)"#) }
        if let issuedAgo { fields.append(#""iat":\#(now - issuedAgo)"#) }
        if let notBeforeIn { fields.append(#""nbf":\#(now + notBeforeIn)"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func base64URL(_ data: Data) -> String {
        String(data.base64EncodedString().compactMap { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 == "=" ? nil : $0 })
    }
}
