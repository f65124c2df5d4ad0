import Contracts
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import RPC
import RPCHTTP2
import Testing

/// The gateway on the real gRPC transport: browser-side HTTP/1.1 through the gateway, then
/// HTTP/2 through nghttp2 to an RPCServer hosting the fake Orders. (The real Orders service is
/// exercised by Tests/python/gateway.)
@Suite("gateway → HTTP2ClientTransport → RPCServer, over sockets")
struct TransportEndToEndTests {
    func withStack(_ body: @escaping @Sendable (any TestClientProtocol, FakeOrders) async throws -> Void) async throws {
        let orders = FakeOrders()
        var router = RPCRouter()
        router.register(orders)
        router.register(FakeHealth())
        let server = RPCServer(router: router, config: .init(host: "127.0.0.1", port: 0))
        let addresses = try await server.start()
        let port = try #require(addresses.first?.port)
        let transport = HTTP2ClientTransport(config: .init(host: "127.0.0.1", port: port))
        var config = OrdersGateway.Config.testing
        config.rpcTimeout = .seconds(5)
        let app = buildApplication(OrdersGateway(config: config, transport: transport))
        do {
            try await app.test(.live) { client in try await body(client, orders) }
        } catch {
            await transport.close()
            await server.shutdown(gracePeriod: .seconds(1))
            throw error
        }
        await transport.close()
        await server.shutdown(gracePeriod: .seconds(1))
    }

    @Test("create, get, list, cancel, watch and health, through both protocols")
    func lifecycle() async throws {
        try await withStack { client, _ in
            let created = try await client.send(.post, "/v1/orders", json: createBody, headers: [.idempotencyKey: "k-1"])
            #expect(created.status == .created)
            let order = try Order(json: try created.json())
            #expect(order.requestID == "k-1")
            #expect(order.items == [LineItem(sku: "apple", quantity: 2, unitPriceCents: 150)])

            let fetched = try await client.send(.get, "/v1/orders/\(order.id)")
            #expect(try Order(json: try fetched.json()) == order)

            let list = try await client.send(.get, "/v1/orders?state=created")
            #expect(try ListOrdersResponse(json: try list.json()).orders.map(\.id) == [order.id])

            let cancel = try await client.send(.post, "/v1/orders/\(order.id):cancel")
            #expect(cancel.status == .ok)
            #expect(try Order(json: try cancel.json()).cancelReason == .userRequested)

            let health = try await client.send(.get, "/healthz")
            #expect(health.status == .ok)

            // Last: the server closes the connection after an event stream (Connection: close).
            let other = try Order(json: try await client.send(.post, "/v1/orders", json: createBody).json())
            let events = try await client.send(.get, "/v1/orders/\(other.id)/events")
            #expect(events.headers[.connection] == "close")
            #expect(EventStreamTests.dataEvents(events.text).count == 3)
        }
    }

    @Test("RPC errors keep their code and message across the wire", arguments: [StatusCode.notFound, .unavailable, .resourceExhausted])
    func errors(code: StatusCode) async throws {
        try await withStack { client, _ in
            let body = #"{"customerId":"fail:\#(code.rawValue)","items":[{"sku":"a","quantity":1}]}"#
            let response = try await client.send(.post, "/v1/orders", json: body)
            #expect(response.status == code.httpStatus)
            #expect(try response.errorBody() == (code.rawValue, "asked to fail with \(code.name)"))
        }
    }

    @Test("the SSE client going away cancels the call on the server, through HTTP/2")
    func disconnect() async throws {
        try await withStack { client, orders in
            orders.watchPause.withLock { $0 = .seconds(60) }
            let order = try Order(json: try await client.send(.post, "/v1/orders", json: createBody).json())
            let connection = try await RawConnection.connect(port: try #require(client.port))
            await connection.send("GET /v1/orders/\(order.id)/events HTTP/1.1\r\nHost: t\r\n\r\n")
            let deadline = ContinuousClock.now + .seconds(10)
            while !connection.text.contains("data: "), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            await connection.close()
            while orders.cancelledWatches.load(ordering: .relaxed) == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(orders.cancelledWatches.load(ordering: .relaxed) == 1)
        }
    }
}
