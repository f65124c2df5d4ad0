@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("limits: 1 MiB body, header read timeout")
struct LimitsTests {
    @Test("a body of exactly 1 MiB is read; one byte more is 413 RESOURCE_EXHAUSTED")
    func bodyLimit() async throws {
        #expect(OrdersGateway.Config.defaults.maxBodyBytes == 1 << 20)
        let fixture = GatewayFixture()
        try await fixture.withLiveServer { client in
            let padding = String(repeating: " ", count: (1 << 20) - 2)
            let atLimit = try await client.send(.post, "/v1/orders", json: "{}" + padding)
            #expect(atLimit.status == .badRequest)  // read and parsed: the fake refuses no items
            #expect(try atLimit.errorBody().message.contains("items"))

            let over = try await client.send(.post, "/v1/orders", json: "{}" + padding + " ")
            #expect(over.status == .contentTooLarge)
            #expect(try over.errorBody().code == 8)
        }
    }

    @Test("a chunked body over the limit (no Content-Length) is 413 too")
    func chunkedBodyLimit() async throws {
        var config = OrdersGateway.Config.testing
        config.maxBodyBytes = 1000
        try await GatewayFixture(config: config).withLiveServer { client in
            let connection = try await RawConnection.connect(port: try #require(client.port))
            defer { Task { await connection.close() } }
            await connection.send("POST /v1/orders HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = String(repeating: " ", count: 600)
            for _ in 0..<3 {
                guard await connection.send("258\r\n\(chunk)\r\n") else { break }
            }
            await connection.send("0\r\n\r\n")
            _ = await connection.waitForClose(limit: .seconds(2))
            #expect(connection.text.hasPrefix("HTTP/1.1 413"), "\(connection.text)")
            #expect(connection.text.contains(#""code":8"#))
        }
    }

    @Test("a client dribbling its request head is disconnected without an answer")
    func slowloris() async throws {
        try await GatewayFixture(config: .shortHeaderReadTimeout).withLiveServer { client in
            let connection = try await RawConnection.connect(port: try #require(client.port))
            await connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\n")
            // One header line every 100 ms: never idle, never complete. The limit is 500 ms.
            for _ in 0..<100 where connection.isOpen {
                try await Task.sleep(for: .milliseconds(100))
                await connection.send("X-Slow: 1\r\n")
            }
            #expect(await connection.waitForClose(limit: .seconds(1)))
            #expect(connection.text.isEmpty)
        }
    }

    @Test("a complete head in time is answered, and the idle connection is then closed")
    func completeHeadInTime() async throws {
        try await GatewayFixture(config: .shortHeaderReadTimeout).withLiveServer { client in
            let connection = try await RawConnection.connect(port: try #require(client.port))
            await connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(await connection.waitForClose(limit: .seconds(10)))
            #expect(connection.text.hasPrefix("HTTP/1.1 200"), "\(connection.text)")
        }
    }

    @Test("the header read timeout defaults to 10 s")
    func defaults() {
        #expect(OrdersGateway.Config.defaults.headerReadTimeout == .seconds(10))
    }
}
