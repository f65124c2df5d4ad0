@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import RPC
import Testing

@Suite("The caller's token: passed on to Orders, never checked or invented by the gateway")
struct CustomerAuthRoutesTests {
    static let authorization = HTTPField.Name("Authorization")!

    @Test("Authorization goes to Orders as metadata; identity-looking headers do not")
    func authorizationIsPassedOnAndNothingElse() async throws {
        let fixture = GatewayFixture()
        try await fixture.withRouter { client in
            _ = try await client.send(.post, "/v1/orders", json: createBody)  // ord-1
            let headers: HTTPFields = [
                Self.authorization: "Bearer abc.def.ghi", HTTPField.Name("X-User-Id")!: "alice",
                HTTPField.Name("X-Customer-Id")!: "alice", HTTPField.Name("X-Forwarded-User")!: "alice",
            ]
            #expect(try await client.send(.get, "/v1/orders/ord-1", headers: headers).status == .ok)
            let metadata = try #require(fixture.orders.lastMetadata.withLock { $0 })
            #expect(metadata["authorization"] == "Bearer abc.def.ghi")
            for name in ["x-user-id", "x-customer-id", "x-forwarded-user"] { #expect(metadata[name] == nil, "\(name)") }
        }
    }

    @Test("?access_token= is the token on the event stream only; the header wins when both come")
    func accessTokenQueryOnlyOnTheEventStream() async throws {
        let fixture = GatewayFixture()
        try await fixture.withRouter { client in
            _ = try await client.send(.post, "/v1/orders", json: createBody)
            #expect(try await client.send(.get, "/v1/orders/ord-1/events?access_token=from-query").status == .ok)
            #expect(fixture.orders.lastMetadata.withLock { $0?["authorization"] } == "Bearer from-query")
            _ = try await client.send(.get, "/v1/orders/ord-1/events?access_token=from-query", headers: [Self.authorization: "Bearer from-header"])
            #expect(fixture.orders.lastMetadata.withLock { $0?["authorization"] } == "Bearer from-header")
            #expect(try await client.send(.get, "/v1/orders/ord-1?access_token=from-query").status == .ok)
            #expect(fixture.orders.lastMetadata.withLock { $0?["authorization"] } == nil)
        }
    }

    @Test("UNAUTHENTICATED is 401 with a Bearer challenge; invalid_token when a token came")
    func unauthenticatedIs401WithAChallenge() async throws {
        try await GatewayFixture().withRouter { client in
            let path = "/v1/orders/\(FakeOrders.unauthenticatedID)"
            let anonymous = try await client.send(.get, path)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            #expect(try anonymous.errorBody().code == 16)
            let rejected = try await client.send(.get, path, headers: [Self.authorization: "Bearer forged"])
            #expect(rejected.status == .unauthorized)
            #expect(rejected.headers[.wwwAuthenticate] == #"Bearer error="invalid_token""#)
            let legacy = try await client.send(.get, "/api/v1/order/\(FakeOrders.unauthenticatedID)", headers: [Self.authorization: "Bearer forged"])
            #expect(legacy.status == .unauthorized)
            #expect(legacy.headers[.wwwAuthenticate] == #"Bearer error="invalid_token""#)
        }
    }

    @Test("the seed's create is for the signed-in customer; customer 12345 only without a token")
    func legacyCreateTakesTheCustomerFromTheToken() async throws {
        let fixture = GatewayFixture()
        try await fixture.withRouter { client in
            let body = #"{"orderItems":["book"]}"#
            let signedIn = try await client.send(.post, "/api/v1/order", json: body, headers: [Self.authorization: "Bearer t"])
            #expect(signedIn.status == .created)
            #expect(fixture.orders.lastCreate.withLock { $0?.customerID } == "")
            let anonymous = try await client.send(.post, "/api/v1/order", json: body)
            #expect(anonymous.status == .created)
            #expect(fixture.orders.lastCreate.withLock { $0?.customerID } == "12345")
        }
    }

    @Test("dev sign-in hands out the issuer's token for a customer id")
    func devSignIn() async throws {
        try await GatewayFixture().withRouter { client in
            let response = try await client.send(.post, "/v1/dev/sign-in", json: #"{"customerId":"alice"}"#)
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            let answer = try response.json()
            #expect(answer["token"]?.stringValue == "token-for-alice")
            #expect(answer["customerId"]?.stringValue == "alice")
            #expect(answer["expiresAt"]?.stringValue == "2027-01-15T08:00:00.000Z")
            for body in [
                #"{}"#, #"{"customerId":""}"#, #"{"customerId":"\#(String(repeating: "a", count: 65))"}"#,
                #"{"customerId":"alice","admin":true}"#, #"{"customerId":"a\u0001"}"#,
            ] {
                #expect(try await client.send(.post, "/v1/dev/sign-in", json: body).status == .badRequest, "\(body)")
            }
            #expect(try await client.send(.post, "/v1/dev/sign-in").status == .badRequest)
        }
    }

    @Test("without a DevSignIn there is no sign-in route")
    func noDevSignInByDefault() async throws {
        try await GatewayFixture(devSignIn: false).withRouter { client in
            let response = try await client.send(.post, "/v1/dev/sign-in", json: #"{"customerId":"alice"}"#)
            #expect(response.status == .notFound)
        }
    }
}
