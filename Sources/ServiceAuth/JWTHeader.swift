#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JOSE header of a compact JWT, shared by the service-token and customer-token verifiers,
/// read before any signature check so a verifier can refuse
/// an algorithm it was not configured for (`none`, HS512 over an HS256 key, an RSA `alg`
/// against an HMAC secret) instead of trusting the JWT library to notice.
package struct JWTHeader: Decodable, Equatable, Sendable {
    package var alg: String
    package var kid: String?
    /// Extensions the token says must be understood; we understand none.
    package var crit: [String]?

    /// Nil unless `token` has three dot-separated parts and the first is base64url JSON with a
    /// string `alg`.
    package init?(token: String) {
        let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Self.base64URLDecoded(Substring(parts[0])) else { return nil }
        guard let header = try? JSONDecoder().decode(JWTHeader.self, from: Data(bytes)) else { return nil }
        self = header
    }

    /// RFC 4648 §5 without padding, as JWS uses it.
    package static func base64URLDecoded(_ text: Substring) -> [UInt8]? {
        guard !text.contains("=") else { return nil }
        var base64 = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }
}
