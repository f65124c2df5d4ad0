import Contracts
@testable import Gateway
import Testing

/// The contract's unary routes served in the pipeline (`RESTFastPathHandler`) next to the
/// router on the same connections: responses in request order, headers as the router's,
/// connection rules kept. Over a real socket, with bytes no HTTP client library would send.
@Suite("REST fast path: pipelining, mixed routes on one connection, connection rules")
struct FastPathTests {
    /// The status lines and bodies of the responses in `text`, in order (every response here
    /// has a Content-Length body).
    private func responses(_ text: String) -> [(status: String, body: String)] {
        var rest = Substring(text)
        var found: [(String, String)] = []
        while let headEnd = rest.range(of: "\r\n\r\n") {
            let head = rest[..<headEnd.lowerBound]
            // "\r\n" is one Character: split on the string, not on "\r".
            let status = head.components(separatedBy: "\r\n")[0]
            let length =
                head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            let body = rest[headEnd.upperBound...].utf8.prefix(length)
            guard body.count == length else { break }
            found.append((status, String(decoding: body, as: UTF8.self)))
            rest = Substring(rest[headEnd.upperBound...].utf8.dropFirst(length))
        }
        return found
    }

    /// Waits until `connection` has received `count` whole responses, up to 20 s.
    private func awaitResponses(_ count: Int, on connection: RawConnection) async -> [(status: String, body: String)] {
        let deadline = ContinuousClock.now + .seconds(20)
        while responses(connection.text).count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return responses(connection.text)
    }

    @Test("pipelined requests, fast and routed, are answered in request order even when the fast ones are slower")
    func pipelinedInOrder() async throws {
        let fixture = GatewayFixture()
        fixture.orders.put(Order(id: "first", state: .created))
        fixture.orders.put(Order(id: "third", state: .created))
        // GetOrder answers late, so the routed /livez in between is ready first.
        fixture.orders.delay.withLock { $0 = .milliseconds(300) }
        try await fixture.withLiveServer { client in
            let connection = try await RawConnection.connect(port: try #require(client.port))
            defer { Task { await connection.close() } }
            await connection.send(
                "GET /v1/orders/first HTTP/1.1\r\nHost: t\r\n\r\n" + "GET /livez HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /v1/orders/third HTTP/1.1\r\nHost: t\r\n\r\n" + "GET /v1/orders/missing HTTP/1.1\r\nHost: t\r\n\r\n")
            let answers = await awaitResponses(4, on: connection)
            try #require(answers.count == 4, "\(connection.text)")
            #expect(answers.map(\.status) == ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found"])
            #expect(answers[0].body.contains(#""id":"first""#))
            #expect(!answers[1].body.contains(#""id""#), "\(answers[1].body)")
            #expect(answers[2].body.contains(#""id":"third""#))
            #expect(answers[3].body.contains("order missing not found"))
            #expect(connection.isOpen)
        }
    }

    @Test("a routed request with a body waits behind a slow fast one, then both are answered")
    func routedBodyWaits() async throws {
        let fixture = GatewayFixture()
        fixture.orders.put(Order(id: "slow", state: .created))
        fixture.orders.delay.withLock { $0 = .milliseconds(300) }
        try await fixture.withLiveServer { client in
            let connection = try await RawConnection.connect(port: try #require(client.port))
            defer { Task { await connection.close() } }
            let legacy = #"{"orderItems":["a"]}"#
            await connection.send(
                "GET /v1/orders/slow HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "POST /api/v1/order HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: \(legacy.utf8.count)\r\n\r\n\(legacy)"
                    + "POST /v1/orders HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
            let answers = await awaitResponses(3, on: connection)
            try #require(answers.count == 3, "\(connection.text)")
            #expect(answers[0].status == "HTTP/1.1 200 OK")
            #expect(answers[0].body.contains(#""id":"slow""#))
            #expect(answers[1].status.hasPrefix("HTTP/1.1 2"), "\(answers[1])")
            // The fake refuses an order without items: the fast path's error body.
            #expect(answers[2].status == "HTTP/1.1 400 Bad Request")
            #expect(answers[2].body.contains(#""code":3"#))
        }
    }

    @Test("a fast answer carries the router's headers: Date, Server, Content-Type, CORS")
    func headers() async throws {
        let fixture = GatewayFixture()
        fixture.orders.put(Order(id: "h", state: .created))
        try await fixture.withLiveServer { client in
            let connection = try await RawConnection.connect(port: try #require(client.port))
            defer { Task { await connection.close() } }
            await connection.send("GET /v1/orders/h HTTP/1.1\r\nHost: t\r\nOrigin: https://shop.example\r\n\r\n")
            let answers = await awaitResponses(1, on: connection)
            try #require(answers.count == 1, "\(connection.text)")
            let head = connection.text.lowercased()
            #expect(head.contains("content-type: application/json"))
            #expect(head.contains("server: orderhub-gateway"))
            #expect(head.contains("access-control-allow-origin: *"))
            #expect(head.range(of: #"date: [a-z]{3}, \d\d [a-z]{3} \d{4} \d\d:\d\d:\d\d gmt"#, options: .regularExpression) != nil, "\(head)")
        }
    }

    @Test("Connection: close on a fast route closes the connection after its answer")
    func connectionClose() async throws {
        let fixture = GatewayFixture()
        fixture.orders.put(Order(id: "c", state: .created))
        try await fixture.withLiveServer { client in
            let connection = try await RawConnection.connect(port: try #require(client.port))
            await connection.send("GET /v1/orders/c HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            #expect(await connection.waitForClose(limit: .seconds(10)))
            let answers = responses(connection.text)
            #expect(answers.count == 1 && answers[0].body.contains(#""id":"c""#), "\(connection.text)")
            #expect(connection.text.lowercased().contains("connection: close"))
        }
    }

    @Test("an HTTP/1.0 request on a fast route is answered in HTTP/1.0 and closed")
    func http10() async throws {
        let fixture = GatewayFixture()
        fixture.orders.put(Order(id: "old", state: .created))
        try await fixture.withLiveServer { client in
            let connection = try await RawConnection.connect(port: try #require(client.port))
            await connection.send("GET /v1/orders/old HTTP/1.0\r\n\r\n")
            #expect(await connection.waitForClose(limit: .seconds(10)))
            #expect(connection.text.hasPrefix("HTTP/1.0 200"), "\(connection.text)")
        }
    }

    @Test("the header read timeout sees fast requests: a connection busy with them outlives it, and closes once idle")
    func readTimeoutSeesFastRequests() async throws {
        let fixture = GatewayFixture(config: .shortHeaderReadTimeout)
        fixture.orders.put(Order(id: "busy", state: .created))
        try await fixture.withLiveServer { client in
            let connection = try await RawConnection.connect(port: try #require(client.port))
            // Twelve requests 250 ms apart: three seconds, past the two-second timeout, which
            // must restart at each fast answer (each gap is far below it).
            for sent in 1...12 {
                await connection.send("GET /v1/orders/busy HTTP/1.1\r\nHost: t\r\n\r\n")
                let answers = await awaitResponses(sent, on: connection)
                try #require(answers.count == sent, "\(connection.text)")
                #expect(connection.isOpen)
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(responses(connection.text).allSatisfy { $0.status == "HTTP/1.1 200 OK" })
            // Idle now: closed by the timeout.
            #expect(await connection.waitForClose(limit: .seconds(20)))
        }
    }
}
