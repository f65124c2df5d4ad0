import Hummingbird

/// `POST /v1/dev/sign-in` `{"customerId":"alice"}` → `{"token":"…","expiresAt":"…","customerId":"alice"}`:
/// a customer token for local use, registered only when the gateway has a `DevSignIn`.
struct DevSignInController<Context: RequestContext> {
    let gateway: OrdersGateway
    let signIn: DevSignIn

    /// Customer ids are at most 64 bytes, as Orders validates them (`OrderValidation`).
    static var maxCustomerIDBytes: Int { 64 }

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("sign-in", use: issueToken)
        return routes
    }

    @Sendable func issueToken(request: Request, context: Context) async throws -> Response {
        var request = request
        guard let body = try await request.jsonBody(limit: gateway.config.maxBodyBytes) else {
            throw GatewayError.invalidArgument("customerId: required, e.g. {\"customerId\":\"alice\"}")
        }
        var object = try ProtoJSONObject(body, path: "", options: request.protoJSONOptions)
        let customerID = try object.string("customerId", "customer_id")
        try object.finish()
        guard !customerID.isEmpty, customerID.utf8.count <= Self.maxCustomerIDBytes,
            !customerID.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw GatewayError.invalidArgument("customerId: 1 to \(Self.maxCustomerIDBytes) bytes without control characters")
        }
        let token = try await signIn.issue(customerID)
        var json = JSONWriter()
        json.object { json in
            json.field("token") { $0.string(token.token) }
            json.field("expiresAt") { $0.string(ISO8601Millis.string(fromUnixMillis: token.expiresAtMillis)) }
            json.field("customerId") { $0.string(customerID) }
        }
        return .json(json, headers: [.cacheControl: "no-store"])
    }
}

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
