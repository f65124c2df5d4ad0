import Contracts
@testable import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("/healthz, /openapi.json and the page")
struct MetaRoutesTests {
    @Test("/healthz is 200 SERVING when Orders is, and asks about the Orders service")
    func healthy() async throws {
        let fixture = GatewayFixture()
        try await fixture.withRouter { client in
            let response = try await client.send(.get, "/healthz")
            #expect(response.status == .ok)
            #expect(try response.json()["status"] == .string("SERVING"))
            #expect(try response.json()["checks"]?["orders"] == .string("SERVING"))
        }
        #expect(fixture.health.lastService.withLock { $0 } == "orderhub.v1.Orders")
    }

    @Test("/healthz is 503 when Orders is not serving or unreachable")
    func unhealthy() async throws {
        let fixture = GatewayFixture()
        fixture.health.status.withLock { $0 = .notServing }
        try await fixture.withRouter { client in
            let response = try await client.send(.get, "/healthz")
            #expect(response.status == .serviceUnavailable)
            #expect(try response.json()["checks"]?["orders"] == .string("NOT_SERVING"))
        }
        let unreachable = OrdersGateway(config: .testing, transport: InProcessTransport(services: []))
        try await Application(router: buildRouter(unreachable)).test(.router) { client in
            let response = try await client.send(.get, "/healthz")
            #expect(response.status == .serviceUnavailable)
            #expect(try response.json()["checks"]?["orders"] == .string("UNIMPLEMENTED"))
        }
    }

    @Test("/livez answers without asking Orders; /readyz follows Orders like /healthz")
    func livenessAndReadiness() async throws {
        let unreachable = OrdersGateway(config: .testing, transport: InProcessTransport(services: []))
        try await Application(router: buildRouter(unreachable)).test(.router) { client in
            let live = try await client.send(.get, "/livez")
            #expect(live.status == .ok)
            #expect(try live.json()["status"] == .string("SERVING"))
            let ready = try await client.send(.get, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect(try ready.json()["checks"]?["orders"] == .string("UNIMPLEMENTED"))
        }
        let fixture = GatewayFixture()
        try await fixture.withRouter { client in
            let ready = try await client.send(.get, "/readyz")
            #expect(ready.status == .ok)
        }
    }

    @Test("/openapi.json is an OpenAPI 3 document describing every route")
    func openAPI() async throws {
        try await GatewayFixture().withRouter { client in
            let response = try await client.send(.get, "/openapi.json")
            #expect(response.status == .ok)
            let document = try response.json()
            #expect(document["openapi"]?.stringValue?.hasPrefix("3.") == true)
            guard case .object(let paths)? = document["paths"] else { throw FixtureError("no paths") }
            let expected: [String: [String]] = [
                "/v1/orders": ["get", "post"],
                "/v1/orders/{id}": ["get"],
                "/v1/orders/{id}:cancel": ["post"],
                "/v1/orders/{id}/events": ["get"],
                "/v1/orders:watch": ["get"],
                "/api/v1/order": ["get", "post"],
                "/api/v1/order/{id}": ["get", "put"],
                "/v1/dev/sign-in": ["post"],
                "/healthz": ["get"],
                "/livez": ["get"],
                "/readyz": ["get"],
                "/openapi.json": ["get"],
                "/": ["get"],
            ]
            #expect(Set(paths.keys) == Set(expected.keys))
            for (path, methods) in expected {
                guard case .object(let operations)? = paths[path] else { throw FixtureError("\(path) missing") }
                #expect(Set(operations.keys).subtracting(["parameters"]) == Set(methods), "\(path)")
            }
        }
    }

    @Test("the page and its assets are served, with nothing loaded from elsewhere")
    func page() async throws {
        try await GatewayFixture().withRouter { client in
            let page = try await client.send(.get, "/")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("<form"))
            #expect(page.text.contains("/assets/app.js"))
            #expect(!page.text.contains("https://"))
            let script = try await client.send(.get, "/assets/app.js")
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.text.contains("EventSource"))
            let style = try await client.send(.get, "/assets/style.css")
            #expect(style.headers[.contentType] == "text/css; charset=utf-8")
        }
    }
}
