@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("CORS")
struct CORSTests {
    @Test("a preflight is answered 204 and allows Authorization, Idempotency-Key and Content-Type")
    func preflight() async throws {
        try await GatewayFixture().withRouter { client in
            let response = try await client.send(
                .options, "/v1/orders",
                headers: [
                    .origin: "http://localhost:3000",
                    .accessControlRequestMethod: "POST",
                    .accessControlRequestHeaders: "authorization, content-type, idempotency-key",
                ])
            #expect(response.status == .noContent)
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            let allowed = try #require(response.headers[.accessControlAllowHeaders]).lowercased()
            #expect(allowed.contains("idempotency-key"))
            #expect(allowed.contains("content-type"))
            #expect(allowed.contains("authorization"), "the customer token")
            #expect(response.headers[.accessControlAllowMethods]?.contains("POST") == true)
        }
    }

    @Test("responses, errors included, carry Access-Control-Allow-Origin")
    func simpleRequests() async throws {
        try await GatewayFixture().withRouter { client in
            let ok = try await client.send(.get, "/v1/orders", headers: [.origin: "http://a.example"])
            #expect(ok.headers[.accessControlAllowOrigin] == "*")
            #expect(ok.headers[.accessControlExposeHeaders]?.contains("WWW-Authenticate") == true)
            let missing = try await client.send(.get, "/v1/orders/x", headers: [.origin: "http://a.example"])
            #expect(missing.status == .notFound)
            #expect(missing.headers[.accessControlAllowOrigin] == "*")
        }
    }

    @Test("with configured origins only those are echoed")
    func configuredOrigins() async throws {
        var config = OrdersGateway.Config.testing
        config.allowedOrigins = ["https://shop.example"]
        try await GatewayFixture(config: config).withRouter { client in
            let allowed = try await client.send(.options, "/v1/orders", headers: [.origin: "https://shop.example", .accessControlRequestMethod: "POST"])
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://shop.example")
            #expect(allowed.headers[.vary] == "Origin")
            let other = try await client.send(.options, "/v1/orders", headers: [.origin: "https://evil.example", .accessControlRequestMethod: "POST"])
            #expect(other.headers[.accessControlAllowOrigin] == nil)
            let get = try await client.send(.get, "/v1/orders", headers: [.origin: "https://evil.example"])
            #expect(get.headers[.accessControlAllowOrigin] == nil)
        }
    }
}
