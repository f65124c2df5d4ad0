import Contracts
@testable import Gateway
import HummingbirdTesting
import Testing

@Suite("event streams are capped in total and per client")
struct EventStreamLimitTests {
    @Test("slots: per-client and total caps, release frees, a dropped slot frees itself")
    func slots() throws {
        let slots = EventStreamSlots(total: 3, perClient: 2)
        let a1 = try slots.acquire(for: "a")
        let a2 = try slots.acquire(for: "a")
        #expect(throws: GatewayError.self) { try slots.acquire(for: "a") }
        var b1: EventStreamSlots.Slot? = try slots.acquire(for: "b")
        #expect(throws: GatewayError.self) { try slots.acquire(for: "c") }  // total reached
        a1.release()
        a1.release()  // twice is harmless
        #expect(slots.open() == 2 && slots.open(for: "a") == 1)
        #expect(b1 != nil)
        b1 = nil  // dropped without release
        #expect(slots.open() == 1 && slots.open(for: "b") == 0)
        _ = try slots.acquire(for: "c")
        _ = a2
    }

    @Test("a client past its cap gets 429 with Retry-After while its streams stay open; closing one makes room")
    func perClientOverHTTP() async throws {
        var config = OrdersGateway.Config.testing
        config.maxEventStreamsPerClient = 2
        let fixture = GatewayFixture(config: config)
        fixture.orders.watchPause.withLock { $0 = .seconds(60) }
        try await fixture.withLiveServer { client in
            let port = try #require(client.port)
            let created = try Order(json: try await client.send(.post, "/v1/orders", json: createBody).json())
            let request = "GET /v1/orders/\(created.id)/events HTTP/1.1\r\nHost: t\r\n\r\n"
            var open: [RawConnection] = []
            for _ in 0..<2 {
                let connection = try await RawConnection.connect(port: port)
                await connection.send(request)
                try await waitFor { connection.text.contains("data: ") }
                open.append(connection)
            }
            let refused = try await client.send(.get, "/v1/orders/\(created.id)/events")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "1")
            #expect(try refused.errorBody().message.contains("event streams open"))
            // Other calls are unaffected.
            #expect(try await client.send(.get, "/v1/orders/\(created.id)").status == .ok)
            await open[0].close()
            // The slot is freed once the gateway sees the close: ask until it has.
            var third: RawConnection?
            let deadline = ContinuousClock.now + .seconds(10)
            while third == nil, ContinuousClock.now < deadline {
                let attempt = try await RawConnection.connect(port: port)
                await attempt.send(request)
                try await waitFor { attempt.text.contains("data: ") || attempt.text.contains("\r\n\r\n{") }
                if attempt.text.hasPrefix("HTTP/1.1 200") { third = attempt } else { await attempt.close() }
            }
            #expect(third != nil, "a stream opens again once one is closed")
            for connection in [open[1], third].compactMap({ $0 }) { await connection.close() }
        }
    }

    @Test("defaults: 2,000 streams, 100 per client")
    func defaults() {
        #expect(OrdersGateway.Config.defaults.maxEventStreams == 2_000)
        #expect(OrdersGateway.Config.defaults.maxEventStreamsPerClient == 100)
    }

    private func waitFor(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within 10 s")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
