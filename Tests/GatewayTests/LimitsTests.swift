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
            // One header line every 100 ms: never idle, never complete. The limit is 2 s.
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

    @Test("a body that stops arriving is cut off after the body read timeout")
    func stalledBody() async throws {
        var config = OrdersGateway.Config.testing
        config.bodyReadTimeout = .milliseconds(500)
        try await GatewayFixture(config: config).withLiveServer { client in
            let connection = try await RawConnection.connect(port: try #require(client.port))
            await connection.send("POST /v1/orders HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            #expect(await connection.waitForClose(limit: .seconds(5)))
        }
    }

    @Test("a body trickling below the minimum rate is cut off")
    func trickle() async throws {
        var config = OrdersGateway.Config.testing
        config.bodyReadTimeout = .milliseconds(300)
        config.minBodyBytesPerSecond = 100
        try await GatewayFixture(config: config).withLiveServer { client in
            // 1 byte per 100 ms earns 10 ms each: the connection is closed well before the end.
            let slow = try await RawConnection.connect(port: try #require(client.port))
            await slow.send("POST /v1/orders HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n")
            for _ in 0..<60 where slow.isOpen {
                try await Task.sleep(for: .milliseconds(100))
                await slow.send(" ")
            }
            #expect(!slow.isOpen, "the trickling client was cut off")
        }
    }

    @Test("a body at a fair rate is read in full, past the base body timeout")
    func fairRate() async throws {
        var config = OrdersGateway.Config.testing
        config.bodyReadTimeout = .seconds(2)
        config.minBodyBytesPerSecond = 100
        try await GatewayFixture(config: config).withLiveServer { client in
            // 600 bytes earn 6 s beyond the 2 s base; sent over about 1.2 s (more on a loaded machine).
            let fair = try await RawConnection.connect(port: try #require(client.port))
            await fair.send("POST /v1/orders HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 602\r\nConnection: close\r\n\r\n{")
            for _ in 0..<12 {
                try await Task.sleep(for: .milliseconds(100))
                await fair.send(String(repeating: " ", count: 50))
            }
            await fair.send("}")
            _ = await fair.waitForClose(limit: .seconds(10))
            #expect(fair.text.hasPrefix("HTTP/1.1 400"), "read and parsed: the fake refuses no items; \(fair.text)")
        }
    }

    @Test("connections over the gateway's limit are closed at once; the others are served")
    func connectionLimit() async throws {
        var config = OrdersGateway.Config.testing
        config.maxConnections = 3
        try await GatewayFixture(config: config).withLiveServer { client in
            let port = try #require(client.port)
            var held: [RawConnection] = []
            for _ in 0..<3 { held.append(try await RawConnection.connect(port: port)) }
            let refused = try await RawConnection.connect(port: port)
            #expect(await refused.waitForClose(limit: .seconds(5)), "the fourth connection is closed")
            await held[0].send("GET /livez HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            #expect(await held[0].waitForClose(limit: .seconds(5)))
            #expect(held[0].text.hasPrefix("HTTP/1.1 200"))
            // A slot is free again.
            var admitted = false
            let deadline = ContinuousClock.now + .seconds(5)
            while !admitted, ContinuousClock.now < deadline {
                let next = try await RawConnection.connect(port: port)
                await next.send("GET /livez HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                _ = await next.waitForClose(limit: .seconds(2))
                admitted = next.text.hasPrefix("HTTP/1.1 200")
            }
            #expect(admitted)
            for connection in held { await connection.close() }
        }
    }

    @Test("defaults: 10 s for a head, 10 s plus 8 KiB/s for a body, 4096 connections")
    func defaults() {
        #expect(OrdersGateway.Config.defaults.headerReadTimeout == .seconds(10))
        #expect(OrdersGateway.Config.defaults.bodyReadTimeout == .seconds(10))
        #expect(OrdersGateway.Config.defaults.minBodyBytesPerSecond == 8192)
        #expect(OrdersGateway.Config.defaults.maxConnections == 4096)
    }
}
