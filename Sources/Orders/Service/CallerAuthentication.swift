import CustomerAuth
import RPC

/// How the Orders service learns who is calling: from the verified customer token of each
/// call, or, with `--insecure-no-user-auth`, not at all (every caller is an admin). The
/// mapping from token to `Caller` happens here, at the edge; the domain sees only `Caller`.
public enum CallerAuthentication: Sendable {
    /// Every call needs a valid customer token (`authorization: Bearer <JWT>`).
    case tokens(CustomerTokenVerifier)
    /// No authentication: every caller may act on every order. For local tests only.
    case insecureEveryoneIsAdmin

    /// The customer a bearer token names when it verifies, else nil; for counting callers
    /// (the gateway's rate limit), never for deciding what they may do.
    public func verifiedSubject(ofToken token: String) async -> String? {
        switch self {
        case .insecureEveryoneIsAdmin: return nil
        case .tokens(let verifier): return try? await verifier.verify(token: token).subject
        }
    }

    /// The caller of a call with this metadata when that is known without verifying anything
    /// (its token is the one the last call verified, still valid), else nil.
    public func cachedCaller(of metadata: Metadata) -> Caller? {
        switch self {
        case .insecureEveryoneIsAdmin:
            return .admin(subject: nil)
        case .tokens(let verifier):
            guard let identity = verifier.cachedIdentity(metadata) else { return nil }
            return identity.isAdmin ? .admin(subject: identity.subject) : .customer(identity.subject)
        }
    }

    /// The caller of a call with this metadata; UNAUTHENTICATED without a valid token.
    public func caller(of metadata: Metadata) async throws(RPCError) -> Caller {
        switch self {
        case .insecureEveryoneIsAdmin:
            return .admin(subject: nil)
        case .tokens(let verifier):
            let identity = try await verifier.verify(metadata)
            return identity.isAdmin ? .admin(subject: identity.subject) : .customer(identity.subject)
        }
    }
}
