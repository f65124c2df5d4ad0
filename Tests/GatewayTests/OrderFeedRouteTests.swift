import Contracts
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("GET /v1/orders:watch (the order feed as Server-Sent Events)")
struct OrderFeedRouteTests {
    /// (id, data) of each event of an SSE body, in order.
    static func events(_ body: String) -> [(id: String?, data: String)] {
        body.components(separatedBy: "\n\n").compactMap { event in
            let lines = event.split(separator: "\n")
            guard let data = lines.first(where: { $0.hasPrefix("data: ") }) else { return nil }
            return (lines.first { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }, String(data.dropFirst(6)))
        }
    }

    @Test("each event's id is its cursor and its data the OrderEvent JSON")
    func stream() async throws {
        try await GatewayFixture().withRouter { client in
            let response = try await client.send(.get, "/v1/orders:watch")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            let events = Self.events(response.text)
            #expect(events.map(\.id) == ["c1", "c2", "c3"])
            let first = try JSONValue(parsing: Array(events[0].data.utf8))
            guard case .object(let fields) = first else { Issue.record("not an object: \(first)"); return }
            #expect(Set(fields.keys) == ["cursor", "order"])
            #expect(events[0].data.hasPrefix("{\"cursor\":\"c1\",\"order\":{"))
            #expect(events[2].data.contains("\"state\":\"ORDER_STATE_DELIVERED\""))
        }
    }

    @Test("Last-Event-ID resumes after that cursor, and wins over afterCursor")
    func resume() async throws {
        let fixture = GatewayFixture()
        try await fixture.withRouter { client in
            let query = try await client.send(.get, "/v1/orders:watch?afterCursor=c2")
            #expect(Self.events(query.text).map(\.id) == ["c3"])
            let header = try await client.send(.get, "/v1/orders:watch?afterCursor=c2", headers: [HTTPField.Name("Last-Event-ID")!: "c1"])
            #expect(Self.events(header.text).map(\.id) == ["c2", "c3"])
        }
        #expect(fixture.orders.lastWatchOrders.withLock { $0?.afterCursor } == "c1")
        let watch = try #require(fixture.transport.calls.last { $0.method.method == "WatchOrders" })
        #expect(watch.options.timeout == nil)
    }

    @Test("a garbage cursor is 400 INVALID_ARGUMENT and a pruned one 400 OUT_OF_RANGE, as JSON errors")
    func badCursors() async throws {
        try await GatewayFixture().withRouter { client in
            let garbage = try await client.send(.get, "/v1/orders:watch?afterCursor=garbage")
            #expect(garbage.status == .badRequest)
            #expect(garbage.headers[.contentType] == "application/json")
            #expect(try garbage.errorBody().code == 3)
            let old = try await client.send(.get, "/v1/orders:watch", headers: [HTTPField.Name("Last-Event-ID")!: "old"])
            #expect(old.status == .badRequest)
            #expect(try old.errorBody().code == 11)
        }
    }

    @Test("state repeats (any spelling), customerId and the query token map to the request")
    func filters() async throws {
        let fixture = GatewayFixture()
        try await fixture.withRouter { client in
            let response = try await client.send(.get, "/v1/orders:watch?state=delivered&state=ORDER_STATE_CANCELLED&customerId=bob&access_token=tok")
            #expect(response.status == .ok)
            let bad = try await client.send(.get, "/v1/orders:watch?state=shipped")
            #expect(bad.status == .badRequest)
        }
        let request = try #require(fixture.orders.lastWatchOrders.withLock { $0 })
        #expect(request.states == [.delivered, .cancelled])
        #expect(request.customerID == "bob")
        #expect(fixture.orders.lastMetadata.withLock { $0?["authorization"] } == "Bearer tok")
    }
}
