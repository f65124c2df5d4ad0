import Foundation
import Contracts
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("GET /v1/orders/{id}/events (Server-Sent Events)")
struct EventStreamTests {
    /// The `data:` payloads of an SSE body, in order.
    static func dataEvents(_ body: String) -> [String] {
        body.components(separatedBy: "\n\n").compactMap { event in
            event.split(separator: "\n").first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
        }
    }

    @Test("streams every state as one data: JSON order, and ends when the order is final")
    func approved() async throws {
        try await GatewayFixture().withRouter { client in
            let created = try Order(json: try await client.send(.post, "/v1/orders", json: createBody).json())
            let response = try await client.send(.get, "/v1/orders/\(created.id)/events")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            #expect(response.headers[.cacheControl] == "no-cache")
            let states = try Self.dataEvents(response.text).map { try Order(json: JSONValue(parsing: Array($0.utf8))).state }
            #expect(states == [.created, .confirmed, .delivered])
        }
    }

    @Test("a declined order ends cancelled with its reason")
    func declined() async throws {
        try await GatewayFixture().withRouter { client in
            let body = createBody.replacingOccurrences(of: "tok_approve", with: "tok_decline")
            let created = try Order(json: try await client.send(.post, "/v1/orders", json: body).json())
            let response = try await client.send(.get, "/v1/orders/\(created.id)/events")
            let last = try #require(Self.dataEvents(response.text).last)
            let order = try Order(json: JSONValue(parsing: Array(last.utf8)))
            #expect(order.state == .cancelled)
            #expect(order.cancelReason == .paymentDeclined)
        }
    }

    @Test("an unknown order is a 404 JSON error, not a stream")
    func unknown() async throws {
        try await GatewayFixture().withRouter { client in
            let response = try await client.send(.get, "/v1/orders/missing/events")
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/json")
            #expect(try response.errorBody().code == 5)
        }
    }

    @Test("the WatchOrder call has no deadline")
    func noDeadline() async throws {
        let fixture = GatewayFixture()
        fixture.orders.put(Order(id: "d", state: .delivered))
        try await fixture.withRouter { client in
            let response = try await client.send(.get, "/v1/orders/d/events")
            #expect(response.status == .ok)
        }
        let watch = try #require(fixture.transport.calls.first { $0.method.method == "WatchOrder" })
        #expect(watch.options.timeout == nil)
    }

    @Test("a live stream sends heartbeat comments while the order waits, over a real socket")
    func heartbeats() async throws {
        let fixture = GatewayFixture()
        fixture.orders.watchPause.withLock { $0 = .milliseconds(300) }
        try await fixture.withLiveServer { client in
            let created = try Order(json: try await client.send(.post, "/v1/orders", json: createBody).json())
            let response = try await client.send(.get, "/v1/orders/\(created.id)/events")
            #expect(response.status == .ok)
            #expect(response.text.contains(": heartbeat\n\n"))
            #expect(Self.dataEvents(response.text).count == 3)
        }
    }
}

@Suite("SSE: a client that goes away")
struct EventStreamDisconnectTests {
    @Test("closing the connection mid-stream cancels the WatchOrder call")
    func disconnectCancelsWatch() async throws {
        let fixture = GatewayFixture()
        fixture.orders.watchPause.withLock { $0 = .seconds(60) }
        try await fixture.withLiveServer { client in
            let created = try Order(json: try await client.send(.post, "/v1/orders", json: createBody).json())
            let connection = try await RawConnection.connect(port: try #require(client.port))
            await connection.send("GET /v1/orders/\(created.id)/events HTTP/1.1\r\nHost: t\r\n\r\n")
            let deadline = ContinuousClock.now + .seconds(10)
            while !connection.text.contains("data: "), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(connection.text.hasPrefix("HTTP/1.1 200"))
            #expect(fixture.orders.cancelledWatches.load(ordering: .relaxed) == 0)
            await connection.close()
            while fixture.orders.cancelledWatches.load(ordering: .relaxed) == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(fixture.orders.cancelledWatches.load(ordering: .relaxed) == 1)
        }
    }
}
