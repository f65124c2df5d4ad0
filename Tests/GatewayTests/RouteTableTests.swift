@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("RouteTable agrees with the registered routes")
struct RouteTableTests {
    /// One concrete path per route.
    static let samples = [
        "/", "/healthz", "/openapi.json", "/assets/app.js", "/assets/style.css", "/v1/orders", "/v1/orders/ord-1",
        "/v1/orders/ord-1:cancel", "/v1/orders/ord-1/events", "/api/v1/order", "/api/v1/order/ord-1", "/v1/dev/sign-in",
        "/v1/orders:watch", "/favicon.ico", "/favicon.svg",
    ]

    @Test("every method the table allows reaches a handler (no route-level 404 or 405)")
    func allowedMethodsAreRouted() async throws {
        try await GatewayFixture().withRouter { client in
            _ = try await client.send(.post, "/v1/orders", json: createBody)  // ord-1
            for path in Self.samples {
                let allowed = try #require(RouteTable.allowedMethods(forPath: path), "\(path)")
                for method in allowed {
                    let body: String? =
                        method == .post || method == .put
                        ? (path.hasPrefix("/api") ? #"{"orderItems":["a"]}"# : (path == "/v1/orders" ? createBody : nil)) : nil
                    let response = try await client.send(method, path, json: body)
                    #expect(response.status != .methodNotAllowed, "\(method) \(path)")
                    if response.status == .notFound {
                        #expect(try response.errorBody().message.hasPrefix("no route") == false, "\(method) \(path)")
                    }
                }
            }
        }
    }

    @Test(
        "paths outside the table are unknown",
        arguments: [
            "/v1", "/v1/dev", "/v1/dev/sign-out", "/v1/orders/a/b", "/v1/orders/a:refund", "/v1/orders/a:cancel/events", "/assets/x.js", "/api/v1/order/",
        ])
    func unknownPaths(path: String) {
        #expect(RouteTable.allowedMethods(forPath: path) == nil)
    }
}
