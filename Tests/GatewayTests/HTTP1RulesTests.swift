@testable import Gateway
import Testing

/// HTTP/1 rules a strict client or an attacker tries: connection persistence by version,
/// malformed chunked bodies, transfer codings we do not decode. Over a real socket.
@Suite("HTTP/1 rules: HTTP/1.0 connections, chunked bodies, transfer codings")
struct HTTP1RulesTests {
    /// Sends `request` on a new connection; returns what came back and whether the server
    /// closed the connection within `limit`.
    private func exchange(_ request: String, port: Int, limit: Duration = .seconds(5)) async throws -> (text: String, closed: Bool) {
        let connection = try await RawConnection.connect(port: port)
        await connection.send(request)
        let closed = await connection.waitForClose(limit: limit)
        let text = connection.text
        await connection.close()
        return (text, closed)
    }

    @Test("an HTTP/1.0 request without keep-alive is answered in HTTP/1.0 and the connection closed")
    func http10Closes() async throws {
        try await GatewayFixture().withLiveServer { client in
            let (text, closed) = try await exchange("GET /livez HTTP/1.0\r\n\r\n", port: try #require(client.port))
            #expect(text.hasPrefix("HTTP/1.0 200"), "\(text)")
            #expect(text.lowercased().contains("connection: close"))
            #expect(closed)
        }
    }

    @Test("an HTTP/1.0 request with keep-alive keeps its connection, and is told so")
    func http10KeepAlive() async throws {
        try await GatewayFixture().withLiveServer { client in
            let connection = try await RawConnection.connect(port: try #require(client.port))
            defer { Task { await connection.close() } }
            await connection.send("GET /livez HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            await connection.send("GET /livez HTTP/1.0\r\n\r\n")
            // The second request (no keep-alive) ends the connection after both answers.
            #expect(await connection.waitForClose(limit: .seconds(5)))
            let answers = connection.text.components(separatedBy: "HTTP/1.0 200").count - 1
            #expect(answers == 2, "\(connection.text)")
            #expect(connection.text.lowercased().contains("connection: keep-alive"))
        }
    }

    @Test("an HTTP/1.1 request stays open after its answer")
    func http11StaysOpen() async throws {
        try await GatewayFixture().withLiveServer { client in
            let connection = try await RawConnection.connect(port: try #require(client.port))
            await connection.send("GET /livez HTTP/1.1\r\nHost: t\r\n\r\n")
            // The answer first (a loaded machine may take a while), then the connection must
            // outlive it: a server closing after each answer would do so at once.
            #expect(await connection.waitForText("\r\n\r\n"), "no answer: \(connection.text)")
            #expect(connection.text.hasPrefix("HTTP/1.1 200"), "\(connection.text)")
            #expect(!(await connection.waitForClose(limit: .milliseconds(500))))
            await connection.close()
        }
    }

    @Test("a malformed chunk size is 400 INVALID_ARGUMENT, not 500", arguments: ["zz", String(repeating: "f", count: 18)])
    func malformedChunkSize(size: String) async throws {
        try await GatewayFixture().withLiveServer { client in
            let request =
                "POST /v1/orders HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\nabc\r\n0\r\n\r\n"
            let (text, _) = try await exchange(request, port: try #require(client.port))
            #expect(text.hasPrefix("HTTP/1.1 400"), "\(text)")
            #expect(text.contains(#""code":3"#))
        }
    }

    @Test("a transfer coding other than chunked is 501", arguments: ["gzip, chunked", "deflate, chunked", "x-custom, chunked"])
    func unsupportedTransferCoding(coding: String) async throws {
        try await GatewayFixture().withLiveServer { client in
            let request =
                "POST /v1/orders HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: \(coding)\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
            let (text, _) = try await exchange(request, port: try #require(client.port))
            #expect(text.hasPrefix("HTTP/1.1 501"), "\(text)")
            #expect(text.contains(#""code":12"#))
        }
    }
}
