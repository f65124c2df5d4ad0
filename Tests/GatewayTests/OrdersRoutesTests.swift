import Contracts
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import RPC
import Testing

@Suite("/v1/orders routes")
struct OrdersRoutesTests {
    @Test("POST /v1/orders creates: 201, proto3 JSON, Location, Idempotency-Key as request_id")
    func create() async throws {
        let fixture = GatewayFixture()
        try await fixture.withRouter { client in
            let response = try await client.send(.post, "/v1/orders", json: createBody, headers: [.idempotencyKey: "key-1"])
            #expect(response.status == .created)
            #expect(response.headers[.contentType] == "application/json")
            let order = try Order(json: try response.json())
            #expect(response.headers[.location] == "/v1/orders/\(order.id)")
            #expect(order.state == .created)
            #expect(order.requestID == "key-1")
            #expect(order.totalCents == 300)
            #expect(order.items == [LineItem(sku: "apple", quantity: 2, unitPriceCents: 150)])
            let body = try response.json()
            #expect(body["totalCents"] == .string("300"))
            #expect(body["state"] == .string("ORDER_STATE_CREATED"))
            #expect(body["customerId"] == .string("c-1"))
        }
        #expect(fixture.orders.lastCreate.withLock { $0?.paymentToken } == "tok_approve")
    }

    @Test("POST /v1/orders reads snake_case names, int64 from numbers, enums by number elsewhere")
    func createSnakeCase() async throws {
        let fixture = GatewayFixture()
        let body =
            #"{"customer_id":"c-2","items":[{"sku":"pear","quantity":"3","unit_price_cents":9007199254740993}],"currency":"EUR","payment_token":"tok_approve","request_id":"r-9"}"#
        try await fixture.withRouter { client in
            let response = try await client.send(.post, "/v1/orders", json: body)
            #expect(response.status == .created)
        }
        let sent = try #require(fixture.orders.lastCreate.withLock { $0 })
        #expect(sent.customerID == "c-2")
        #expect(sent.requestID == "r-9")
        #expect(sent.items == [LineItem(sku: "pear", quantity: 3, unitPriceCents: 9_007_199_254_740_993)])
    }

    @Test("requestId and a different Idempotency-Key are refused")
    func conflictingKeys() async throws {
        try await GatewayFixture().withRouter { client in
            let body = #"{"items":[{"sku":"a","quantity":1}],"requestId":"a"}"#
            let response = try await client.send(.post, "/v1/orders", json: body, headers: [.idempotencyKey: "b"])
            #expect(response.status == .badRequest)
            #expect(try response.errorBody().code == 3)
        }
    }

    @Test("unknown fields are refused, naming the field, unless the client opts in")
    func unknownFields() async throws {
        let fixture = GatewayFixture()
        let body = #"{"items":[{"sku":"a","quantity":1,"colour":"red"}],"currency":"EUR"}"#
        try await fixture.withRouter { client in
            let refused = try await client.send(.post, "/v1/orders", json: body)
            #expect(refused.status == .badRequest)
            let error = try refused.errorBody()
            #expect(error.code == 3)
            #expect(error.message.contains("items[0].colour"))

            let accepted = try await client.send(.post, "/v1/orders", json: body, headers: [.jsonIgnoreUnknownFields: "true"])
            #expect(accepted.status == .created)
        }
    }

    @Test(
        "malformed and mistyped bodies are INVALID_ARGUMENT with a message",
        arguments: [
            (#"{"items": [}"#, "invalid JSON at byte"),
            (#"[1,2]"#, "expected an object"),
            (#"{"items":[{"sku":"a","quantity":"many"}]}"#, "items[0].quantity"),
            (#"{"items":[{"sku":"a","quantity":1.5}]}"#, "items[0].quantity"),
            (#"{"items":[{"sku":"a","quantity":4294967296}]}"#, "out of range"),
            (#"{"currency":7}"#, "currency: expected a string"),
            (#"{"customerId":"a","customer_id":"b"}"#, "given twice"),
            (#"{"a":1,"a":2}"#, "duplicate field"),
        ])
    func badBodies(body: String, expected: String) async throws {
        try await GatewayFixture().withRouter { client in
            let response = try await client.send(.post, "/v1/orders", json: body)
            #expect(response.status == .badRequest)
            let error = try response.errorBody()
            #expect(error.code == 3)
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test("a body that is not JSON is 415 with the error shape")
    func unsupportedMediaType() async throws {
        try await GatewayFixture().withRouter { client in
            let response = try await client.send(.post, "/v1/orders", json: "items=1", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(response.status == .unsupportedMediaType)
            #expect(try response.errorBody().code == 3)
            let charset = try await client.send(.post, "/v1/orders", json: createBody, headers: [.contentType: "application/json; charset=utf-8"])
            #expect(charset.status == .created)
        }
    }

    @Test("GET /v1/orders maps the query to ListOrders")
    func list() async throws {
        let fixture = GatewayFixture()
        try await fixture.withRouter { client in
            _ = try await client.send(.post, "/v1/orders", json: createBody)
            _ = try await client.send(.post, "/v1/orders", json: createBody)
            let response = try await client.send(.get, "/v1/orders?state=ORDER_STATE_CREATED&pageSize=5&pageToken=abc&customerId=c-1")
            #expect(response.status == .ok)
            let page = try ListOrdersResponse(json: try response.json())
            #expect(page.orders.count == 2)
            #expect(page.nextPageToken == "next")
        }
        let sent = try #require(fixture.orders.lastList.withLock { $0 })
        #expect(sent == ListOrdersRequest(pageSize: 5, pageToken: "abc", state: .created, customerID: "c-1"))
    }

    @Test("state accepts the proto name, the number and the short name", arguments: ["ORDER_STATE_CONFIRMED", "2", "confirmed"])
    func listStateSpellings(state: String) async throws {
        let fixture = GatewayFixture()
        try await fixture.withRouter { client in
            let response = try await client.send(.get, "/v1/orders?state=\(state)&page_size=3")
            #expect(response.status == .ok)
        }
        #expect(fixture.orders.lastList.withLock { $0?.state } == .confirmed)
        #expect(fixture.orders.lastList.withLock { $0?.pageSize } == 3)
    }

    @Test("empty query values are absent ones, as in ?state=&pageSize=&pageToken= from an HTML form")
    func listEmptyValues() async throws {
        let fixture = GatewayFixture()
        try await fixture.withRouter { client in
            let response = try await client.send(.get, "/v1/orders?state=&pageSize=&pageToken=")
            #expect(response.status == .ok)
        }
        #expect(fixture.orders.lastList.withLock { $0 } == ListOrdersRequest(pageSize: 0, pageToken: "", state: .unspecified, customerID: ""))
    }

    @Test("bad list queries are INVALID_ARGUMENT", arguments: ["state=bogus", "state=9", "pageSize=ten", "colour=red", "state=1&state=2"])
    func listBadQuery(query: String) async throws {
        try await GatewayFixture().withRouter { client in
            let response = try await client.send(.get, "/v1/orders?\(query)")
            #expect(response.status == .badRequest)
            #expect(try response.errorBody().code == 3)
        }
    }

    @Test("GET /v1/orders/{id} returns the order; an unknown id is 404 NOT_FOUND")
    func get() async throws {
        try await GatewayFixture().withRouter { client in
            let created = try Order(json: try await client.send(.post, "/v1/orders", json: createBody).json())
            let response = try await client.send(.get, "/v1/orders/\(created.id)")
            #expect(response.status == .ok)
            #expect(try Order(json: try response.json()) == created)

            let missing = try await client.send(.get, "/v1/orders/nope")
            #expect(missing.status == .notFound)
            #expect(try missing.errorBody() == (5, "order nope not found"))
        }
    }

    @Test("POST /v1/orders/{id}:cancel cancels; a delivered order is 400 FAILED_PRECONDITION")
    func cancel() async throws {
        let fixture = GatewayFixture()
        fixture.orders.put(Order(id: "done", state: .delivered))
        try await fixture.withRouter { client in
            let created = try Order(json: try await client.send(.post, "/v1/orders", json: createBody).json())
            let response = try await client.send(.post, "/v1/orders/\(created.id):cancel")
            #expect(response.status == .ok)
            let cancelled = try Order(json: try response.json())
            #expect(cancelled.state == .cancelled)
            #expect(cancelled.cancelReason == .userRequested)
            #expect(try response.json()["cancelReason"] == .string("CANCEL_REASON_USER_REQUESTED"))

            let withBody = try await client.send(.post, "/v1/orders/\(created.id):cancel", json: "{}")
            #expect(withBody.status == .ok)

            let delivered = try await client.send(.post, "/v1/orders/done:cancel")
            #expect(delivered.status == .badRequest)
            #expect(try delivered.errorBody().code == 9)
        }
    }

    @Test("wrong methods are 405 with Allow and the error shape")
    func wrongMethods() async throws {
        try await GatewayFixture().withRouter { client in
            for (method, uri, allow) in [
                (HTTPRequest.Method.delete, "/v1/orders", "GET, POST"),
                (.post, "/v1/orders/abc", "GET"),
                (.put, "/v1/orders/abc", "GET"),
                (.get, "/v1/orders/abc:cancel", "POST"),
                (.post, "/v1/orders/abc/events", "GET"),
                (.post, "/healthz", "GET"),
                (.delete, "/api/v1/order/abc", "GET, PUT"),
                (.trace, "/", "GET"),
                (HTTPRequest.Method("QUERY")!, "/v1/orders", "GET, POST"),
                (HTTPRequest.Method("BREW")!, "/api/v1/order", "GET, POST"),
                (.head, "/v1/orders/abc", "GET"),
            ] {
                let response = try await client.send(method, uri)
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.headers[.allow] == allow, "\(method) \(uri)")
                if method == .head {
                    #expect(response.body.readableBytes == 0)
                } else {
                    #expect(try response.errorBody().code == 12)
                }
            }
        }
    }

    @Test("OPTIONS without CORS headers answers 204 with the path's exact Allow")
    func options() async throws {
        try await GatewayFixture().withRouter { client in
            for (uri, allow) in [
                ("/v1/orders", "GET, POST"), ("/v1/orders/abc", "GET"), ("/v1/orders/abc:cancel", "POST"),
                ("/v1/orders/abc/events", "GET"), ("/api/v1/order/abc", "GET, PUT"), ("/", "GET"),
            ] {
                let response = try await client.send(.options, uri)
                #expect(response.status == .noContent, "\(uri)")
                #expect(response.headers[.allow] == allow, "\(uri)")
            }
            #expect(try await client.send(.options, "/nope").status == .notFound)
        }
    }

    @Test(
        "an Idempotency-Key that is not 1–64 visible ASCII characters is INVALID_ARGUMENT",
        arguments: ["", "has space", String(repeating: "k", count: 65)])
    func badIdempotencyKey(key: String) async throws {
        try await GatewayFixture().withRouter { client in
            for uri in ["/v1/orders", "/api/v1/order"] {
                let body = uri == "/v1/orders" ? createBody : #"{"orderItems":["a"]}"#
                let response = try await client.send(.post, uri, json: body, headers: [.idempotencyKey: key])
                #expect(response.status == .badRequest, "\(uri)")
            }
        }
    }

    @Test("unknown routes and custom verbs are 404 NOT_FOUND in the error shape")
    func unknownRoutes() async throws {
        try await GatewayFixture().withRouter { client in
            for uri in ["/nope", "/v1/order", "/v1/orders/abc:refund", "/v2/orders"] {
                let response = try await client.send(.get, uri)
                #expect(response.status == .notFound, "\(uri)")
                #expect(try response.errorBody().code == 5)
            }
            let response = try await client.send(.post, "/v1/orders/abc:refund")
            #expect(response.status == .notFound)
        }
    }

    @Test("every RPC carries the configured deadline and the request id")
    func deadlines() async throws {
        var config = OrdersGateway.Config.testing
        config.rpcTimeout = .milliseconds(1234)
        let fixture = GatewayFixture(config: config)
        try await fixture.withRouter { client in
            _ = try await client.send(.post, "/v1/orders", json: createBody, headers: [.requestID: "req-7"])
            _ = try await client.send(.get, "/v1/orders/ord-1")
            _ = try await client.send(.get, "/v1/orders")
            _ = try await client.send(.post, "/v1/orders/ord-1:cancel")
            _ = try await client.send(.get, "/healthz")
        }
        let calls = fixture.transport.calls
        #expect(calls.map(\.method.method) == ["CreateOrder", "GetOrder", "ListOrders", "CancelOrder", "Check"])
        #expect(calls.allSatisfy { $0.options.timeout == .milliseconds(1234) })
        #expect(calls[0].options.metadata["x-request-id"] == "req-7")
    }
}
