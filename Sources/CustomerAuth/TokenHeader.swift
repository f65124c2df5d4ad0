#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JOSE header of a compact JWT, read before any signature check so the verifier can
/// refuse an algorithm it was not configured for (`none`, or HS256 against an RSA key)
/// instead of trusting the library to notice.
struct TokenHeader: Decodable, Equatable {
    var alg: String
    var kid: String?
    /// Extensions the token says must be understood; we understand none.
    var crit: [String]?

    /// Nil unless `token` has three dot-separated parts and the first is base64url JSON with
    /// a string `alg`.
    init?(token: String) {
        let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Self.base64URLDecoded(Substring(parts[0])) else { return nil }
        guard let header = try? JSONDecoder().decode(TokenHeader.self, from: Data(bytes)) else { return nil }
        self = header
    }

    /// RFC 4648 §5 without padding, as JWS uses it.
    static func base64URLDecoded(_ text: Substring) -> [UInt8]? {
        guard !text.contains("=") else { return nil }
        var base64 = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }
}
