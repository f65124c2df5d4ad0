import Contracts
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Testing

/// The gateway serves whatever protoc-gen-orderhub generated from the `google.api.http`
/// annotations: every binding is routed, allowed by the route table and described in
/// `/openapi.json`, with no per-route code (the generator's side: test_protoc_plugin_rest.py).
@Suite("RESTContract: every annotated RPC is routed and in the spec")
struct RESTContractTests {
    /// A concrete path for a template: each variable becomes `sample`.
    static func samplePath(_ template: PathTemplate) -> String {
        let segments = template.segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .field: "sample"
            }
        }
        return "/" + segments.joined(separator: "/") + (template.verb.map { ":" + $0 } ?? "")
    }

    @Test("every RPC of the Orders service has a binding")
    func everyRPCIsBound() {
        let rpcs = Set(RESTContract.bindings.map(\.operation.rpc))
        let methods = [OrdersMethod.createOrder, OrdersMethod.getOrder, OrdersMethod.cancelOrder, OrdersMethod.listOrders, OrdersMethod.watchOrder]
        #expect(rpcs.isSuperset(of: methods.map { "\($0.service)/\($0.method)" }))
    }

    @Test("a path from each template reaches its binding and the route table allows its method")
    func everyBindingIsRouted() throws {
        #expect(!RESTContract.bindings.isEmpty)
        for binding in RESTContract.bindings {
            let path = Self.samplePath(binding.template)
            let match = try #require(RESTContract.binding(for: binding.method, path: path), "\(path)")
            #expect(match.binding.operation.id == binding.operation.id, "\(path)")
            #expect(match.captures.allSatisfy { $0.value == "sample" })
            #expect(RouteTable.allowedMethods(forPath: path)?.contains(binding.method) == true, "\(path)")
        }
    }

    @Test("/openapi.json lists every binding's operation and every schema it refers to")
    func everyBindingIsInTheSpec() async throws {
        try await GatewayFixture().withRouter { client in
            let document = try await client.send(.get, "/openapi.json").json()
            for binding in RESTContract.bindings {
                let operation = document["paths"]?[binding.template.text]?[binding.method.rawValue.lowercased()]
                #expect(operation?["operationId"] == .string(binding.operation.id), "\(binding.template.text)")
                #expect(document["components"]?["schemas"]?[binding.operation.response] != nil, "\(binding.operation.response)")
            }
            #expect(document["paths"]?["/v1/orders/{id}/events"]?["get"]?["responses"]?["200"]?["content"]?["text/event-stream"] != nil)
            #expect(document["paths"]?["/v1/orders"]?["post"]?["responses"]?["201"]?["headers"]?["Location"] != nil)
        }
    }

    @Test(
        "templates: segments are percent-decoded; a variable is one non-empty segment without a colon",
        arguments: [
            ("/v1/orders/a%2Fb", "a/b"), ("/v1/orders/%61bc", "abc"), ("/v1/orders/", nil), ("/v1/orders/a:b", nil),
            ("/v1/orders/a/b", nil), ("/v1/orders/%3Acancel", nil),
        ] as [(String, String?)])
    func templateMatching(path: String, id: String?) {
        let match = RESTContract.binding(for: .get, path: path)
        #expect(match?.captures.first?.value == id, "\(path)")
    }

    @Test("the verb selects the binding: POST …:cancel is CancelOrder, a path capture may not carry a colon")
    func verbs() {
        #expect(RESTContract.binding(for: .post, path: "/v1/orders/abc:cancel")?.binding.operation.id == "CancelOrder")
        #expect(RESTContract.binding(for: .post, path: "/v1/orders/abc:refund") == nil)
        #expect(RESTContract.binding(for: .get, path: "/v1/orders/a:b/events") == nil)
        #expect(RESTContract.allowedMethods(forPath: "/v1/orders/abc:cancel") == [.post])
    }

    @Test("one match per request: the path's methods in a fixed order, and the request method's binding when it is one of them")
    func matchOncePerRequest() throws {
        let orders = try #require(RESTContract.match(method: .post, path: "/v1/orders"))
        #expect(orders.allowed == [.get, .post])
        #expect(orders.binding?.operation.id == "CreateOrder")
        let refused = try #require(RESTContract.match(method: .delete, path: "/v1/orders/abc"))
        #expect(refused.allowed == [.get])
        #expect(refused.binding == nil && refused.captures.isEmpty)
        let order = try #require(RESTContract.match(method: .get, path: "/v1/orders/a%2Fb"))
        #expect(order.binding?.operation.id == "GetOrder")
        #expect(order.captures.map(\.value) == ["a/b"])
        // Not contract paths: what comes before the first '/' is no segment.
        #expect(RESTContract.match(method: .get, path: "*") == nil)
        #expect(RESTContract.match(method: .get, path: "/healthz") == nil)
        #expect(RequestPath("v1/orders/abc").segments == ["orders", "abc"])
        #expect(RequestPath("/v1/orders/abc:cancel").segments == ["v1", "orders", "abc"])
        #expect(RequestPath("/v1/orders/abc:cancel").verb == "cancel")
        #expect(RequestPath("/").segments == [""])
    }

    @Test("a path field in the body must agree with the path")
    func pathWinsOverBody() async throws {
        try await GatewayFixture().withRouter { client in
            let conflicting = try await client.send(.post, "/v1/orders/ord-1:cancel", json: #"{"id":"other"}"#)
            #expect(conflicting.status == .badRequest)
            #expect(try conflicting.errorBody().message == "id: differs from the id in the path")
            let unknown = try await client.send(.get, "/v1/orders/ord-1?colour=red")
            #expect(unknown.status == .badRequest)
        }
    }

    @Test(
        "a path without escapes is matched on its bytes exactly as split into segments",
        arguments: [
            "/v1/orders", "/v1/orders/", "/v1/orders/ord-1", "/v1/orders/ord-1/", "/v1/orders/ord-1:cancel", "/v1/orders/ord-1:refund",
            "/v1/orders/:cancel", "/v1/orders/a:b/events", "/v1/orders/ord-1/events", "/v1/orders/ord-1/events:x", "/v1/orders//",
            "/v1//orders/x", "//v1/orders/x", "/v1/orders/x/y", "/", "", "v1/orders/x", "/v1/orders:cancel", "/v1/orders/a:b:cancel",
            "/v2/orders/x", "/v1/order/x", "/v1/orders/ord 1", "/v1/orders/ø",
        ])
    func unescapedPathsMatchAsSegments(path: String) {
        for binding in RESTContract.bindings {
            let bytes = binding.template.match(unescaped: path.utf8.span)
            let segments = binding.template.match(RequestPath(path))
            #expect(bytes?.map(\.field) == segments?.map(\.field), "\(binding.template.text) on \(path)")
            #expect(bytes?.map(\.value) == segments?.map(\.value), "\(binding.template.text) on \(path)")
        }
        for method in [HTTPRequest.Method.get, .post] {
            let fast = RESTContract.binding(for: method, path: path)
            let slow = RESTContract.match(method: method, path: path)
            #expect(fast?.binding === slow?.binding, "\(method) \(path)")
            let slowCaptures = slow?.binding == nil ? nil : slow?.captures.map(\.value)
            #expect(fast?.captures.map(\.value) == slowCaptures, "\(method) \(path)")
        }
    }
}
