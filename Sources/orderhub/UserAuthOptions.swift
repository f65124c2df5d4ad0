import ArgumentParser
import CustomerAuth
import Logging
import Orders

/// How Orders authenticates customers (docs/security.md, "Customer tokens"): an HS256 secret, a
/// JWKS file of RS256/ES256 public keys, or both; or, explicitly, nothing.
struct UserAuthOptions: ParsableArguments {
    @OptionGroup var token: UserTokenOptions

    @Option(help: "JWKS file with the RS256/ES256 public keys of customer tokens (ORDERHUB_USER_JWKS_FILE).")
    var userJwksFile: String?

    /// A flag only, with no environment fallback: turning authentication off takes a visible
    /// word on the command line, not a variable inherited by accident.
    @Flag(help: "No customer authentication: every caller may act on every order. Local tests only; no environment variable.")
    var insecureNoUserAuth = false

    func secret() throws -> String? { try token.secret() }

    /// The configured keys, or nil when none is.
    func keys(secret: String?) throws -> CustomerTokenKeys? {
        let jwks = try Setting.optionalString(userJwksFile, env: "ORDERHUB_USER_JWKS_FILE").map(TextFile.read)
        guard secret != nil || jwks != nil else { return nil }
        do {
            return try CustomerTokenKeys(secret: secret, jwksJSON: jwks)
        } catch {
            throw SettingError(error.description)
        }
    }

    /// How Orders authenticates callers. Refuses to go on with no key unless
    /// `--insecure-no-user-auth` says so; `fallbackSecret` is `serve`'s local key.
    func authentication(fallbackSecret: String? = nil, logger: Logger) async throws -> CallerAuthentication {
        if insecureNoUserAuth {
            logger.warning("customer authentication is OFF (--insecure-no-user-auth): every caller may read and cancel every order")
            return .insecureEveryoneIsAdmin
        }
        guard let keys = try keys(secret: try secret() ?? fallbackSecret) else {
            throw SettingError(
                """
                a customer-token key is required: --user-jwt-secret-file (HS256), --user-jwks-file (RS256/ES256), \
                or ORDERHUB_USER_JWT_SECRET; --insecure-no-user-auth turns authentication off
                """)
        }
        do {
            let config = CustomerTokenVerifier.Config(issuer: token.issuer, audience: token.audience)
            return .tokens(try await CustomerTokenVerifier(keys: keys, config: config))
        } catch {
            throw SettingError(error.description)
        }
    }
}
