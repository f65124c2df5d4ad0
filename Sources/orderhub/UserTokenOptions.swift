import ArgumentParser
import CustomerAuth
import Gateway
import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The HS256 side of customer tokens, shared by what verifies them (Orders) and what signs
/// them locally (the gateway's dev sign-in, `orderhub token`): the secret, and the `iss`/`aud`
/// a token must carry.
struct UserTokenOptions: ParsableArguments {
    @Option(help: "File holding the HS256 secret of customer tokens (ORDERHUB_USER_JWT_SECRET_FILE; else ORDERHUB_USER_JWT_SECRET).")
    var userJwtSecretFile: String?

    @Option(help: "Required `iss` of customer tokens, written into tokens signed here (ORDERHUB_USER_JWT_ISSUER; default: not checked).")
    var userJwtIssuer: String?

    @Option(help: "Required `aud` of customer tokens, written into tokens signed here (ORDERHUB_USER_JWT_AUDIENCE; default: not checked).")
    var userJwtAudience: String?

    var issuer: String? { Setting.optionalString(userJwtIssuer, env: "ORDERHUB_USER_JWT_ISSUER") }
    var audience: String? { Setting.optionalString(userJwtAudience, env: "ORDERHUB_USER_JWT_AUDIENCE") }

    /// The HS256 secret from the file, else the environment; nil when neither is set.
    func secret() throws -> String? {
        if let path = Setting.optionalString(userJwtSecretFile, env: "ORDERHUB_USER_JWT_SECRET_FILE") {
            return try Self.readSecret(path)
        }
        return Setting.environment("ORDERHUB_USER_JWT_SECRET")
    }

    /// A signer for `secret` that stamps the configured issuer and audience.
    func signer(secret: String) async throws -> CustomerTokenSigner {
        guard secret.utf8.count >= CustomerTokenKeys.minimumSecretBytes else {
            throw SettingError("the user-token secret must be at least \(CustomerTokenKeys.minimumSecretBytes) bytes")
        }
        return await CustomerTokenSigner(secret: secret, issuer: issuer, audience: audience)
    }

    /// The first line of a secret file.
    static func readSecret(_ path: String) throws -> String {
        let text = try TextFile.read(path).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard !text.isEmpty else { throw SettingError("the user-token secret file \(path) is empty") }
        return text
    }
}

extension DevSignIn {
    /// Tokens last a working day: long enough not to interrupt local use.
    static let lifetime: Duration = .seconds(8 * 3600)

    /// The gateway's local sign-in, signing with `signer`. Logs a warning: whoever reaches
    /// the gateway can then act as any customer.
    static func signing(with signer: CustomerTokenSigner, logger: Logger) -> DevSignIn {
        logger.warning("dev sign-in is ON: POST /v1/dev/sign-in gives anyone who reaches the gateway a token for any customer; local use only")
        return DevSignIn { customer in
            let (token, expiresAt) = try await signer.token(customer: customer, lifetime: lifetime)
            return (token, Int64((expiresAt.timeIntervalSince1970 * 1000).rounded()))
        }
    }
}
