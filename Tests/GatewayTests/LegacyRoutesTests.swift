import Contracts
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("/api/v1/order: the original exercise's routes and shapes")
struct LegacyRoutesTests {
    @Test("POST creates from orderItems: 201 {status, data: {results, token}}")
    func create() async throws {
        let fixture = GatewayFixture()
        try await fixture.withRouter { client in
            let response = try await client.send(.post, "/api/v1/order", json: #"{"orderItems":["book","pen"]}"#)
            #expect(response.status == .created)
            let body = try response.json()
            #expect(body["status"] == .string("success"))
            let results = try #require(body["data"]?["results"])
            #expect(body["data"]?["token"] == .null)
            #expect(results["state"] == .string("created"))
            #expect(results["orderItems"] == .array([.string("book"), .string("pen")]))
            #expect(results["_id"] == results["id"])
            #expect(results["orderCreatedAt"] == .string("2024-05-01T12:00:00.123Z"))
            #expect(results["__v"] == .number("0"))
        }
        let sent = try #require(fixture.orders.lastCreate.withLock { $0 })
        #expect(sent.customerID == "12345")
        #expect(sent.items.map(\.sku) == ["book", "pen"])
        #expect(sent.items.allSatisfy { $0.quantity == 1 })
        #expect(sent.currency == "USD")
        #expect(sent.paymentToken == "tok_random")
    }

    @Test("orderhub extensions in the body override the defaults; other fields are ignored as Express did")
    func createExtensions() async throws {
        let fixture = GatewayFixture()
        try await fixture.withRouter { client in
            let body = #"{"orderItems":["x"],"currency":"EUR","paymentToken":"tok_approve","customerId":"me","whatever":1}"#
            let response = try await client.send(.post, "/api/v1/order", json: body)
            #expect(response.status == .created)
        }
        let sent = try #require(fixture.orders.lastCreate.withLock { $0 })
        #expect((sent.currency, sent.paymentToken, sent.customerID) == ("EUR", "tok_approve", "me"))
    }

    @Test("GET lists {status, data: {orders}}; GET /{id} gives {data: {state}}; PUT /{id} cancels")
    func listStateCancel() async throws {
        try await GatewayFixture().withRouter { client in
            let created = try await client.send(.post, "/api/v1/order", json: #"{"orderItems":["book"]}"#).json()
            let id = try #require(created["data"]?["results"]?["id"]?.stringValue)

            let list = try await client.send(.get, "/api/v1/order").json()
            guard case .array(let orders)? = list["data"]?["orders"] else { throw FixtureError("no orders: \(list)") }
            #expect(orders.count == 1)
            #expect(orders.first?["id"] == .string(id))

            let state = try await client.send(.get, "/api/v1/order/\(id)")
            #expect(state.status == .ok)
            #expect(try state.json() == .object(["status": .string("success"), "data": .object(["state": .string("created")])]))

            let cancel = try await client.send(.put, "/api/v1/order/\(id)")
            #expect(cancel.status == .ok)
            #expect(try cancel.json()["data"]?["order"]?["state"] == .string("cancelled"))
        }
    }

    @Test("failures use the seed's envelope (fail/error + message) plus code and details")
    func failures() async throws {
        let fixture = GatewayFixture()
        fixture.orders.put(Order(id: "done", state: .delivered))
        try await fixture.withRouter { client in
            let missing = try await client.send(.get, "/api/v1/order/nope")
            #expect(missing.status == .notFound)
            #expect(
                try missing.json()
                    == .object([
                        "status": .string("fail"), "message": .string("No order found with that ID!"),
                        "code": .number("5"), "details": .array([]),
                    ]))
            #expect(try await client.send(.put, "/api/v1/order/nope").status == .notFound)

            let delivered = try await client.send(.put, "/api/v1/order/done")
            #expect(delivered.status == .badRequest)
            #expect(try delivered.json()["status"] == .string("fail"))

            let noItems = try await client.send(.post, "/api/v1/order", json: "{}")
            #expect(noItems.status == .badRequest)
            #expect(try noItems.json()["message"]?.stringValue?.contains("orderItems") == true)

            let unavailable = try await client.send(.post, "/api/v1/order", json: #"{"orderItems":["a"],"customerId":"fail:14"}"#)
            #expect(unavailable.status == .serviceUnavailable)
            #expect(try unavailable.json()["status"] == .string("error"))
        }
    }
}
