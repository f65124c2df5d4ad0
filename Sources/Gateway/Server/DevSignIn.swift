/// The local sign-in the gateway can offer (`POST /v1/dev/sign-in`): whoever asks gets a
/// customer token for the customer id they name, no password. Only for local use (`orderhub
/// serve`, or `gateway --dev-sign-in`); production tokens come from an identity provider.
///
/// The gateway does not sign anything itself: the executable hands it `issue`, so the gateway
/// module stays free of key handling.
public struct DevSignIn: Sendable {
    /// A token and when it expires (Unix milliseconds).
    public typealias Token = (token: String, expiresAtMillis: Int64)

    /// Makes a customer (never admin) token for a customer id.
    public let issue: @Sendable (_ customerID: String) async throws -> Token

    public init(issue: @escaping @Sendable (_ customerID: String) async throws -> Token) {
        self.issue = issue
    }
}
