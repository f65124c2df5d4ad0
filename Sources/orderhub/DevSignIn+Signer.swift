import CustomerAuth
import Gateway
import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
