import Foundation
import NIOCore
import RPC
import RPCHTTP2
import Testing

/// `maxConnectionAge`: the server drains old connections with GOAWAY, and clients move to new
/// ones without a failed call.
@Suite struct MaxConnectionAgeTests {
    private static let ageConfig = RPCServer.Config(
        host: "127.0.0.1", maxConnectionAge: .milliseconds(300), maxConnectionAgeGrace: .seconds(10))

    /// Four concurrent callers until the server has seen `connections` client connections
    /// (distinct peer addresses) or ~10 s passed; returns the peers seen and every failure.
    private func callAcrossAges(_ client: RPCClient, connections: Int) async throws -> (peers: Set<String>, failures: [String]) {
        let peers = Shared(Set<String>())
        let failures = Shared<[String]>([])
        let end = ContinuousClock.now + .seconds(10)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    while ContinuousClock.now < end, peers.withLock({ $0.count }) < connections {
                        do {
                            let reply = try await client.unary(EchoMethods.peer, request: TestMessage(""), responseType: TestMessage.self)
                            _ = peers.withLock { $0.insert(reply.message.text) }
                        } catch {
                            failures.withLock { $0.append("\(error)") }
                        }
                        try await Task.sleep(for: .milliseconds(5))
                    }
                }
            }
            try await group.waitForAll()
        }
        return (peers.current, failures.current)
    }

    @Test func callsContinueOnNewConnectionsAcrossTheGoaway() async throws {
        try await withServer(config: Self.ageConfig) { _, port in
            try await withClient(port: port) { client, _ in
                let (peers, failures) = try await callAcrossAges(client, connections: 3)
                #expect(peers.count >= 3, "the client moved to a new connection after each GOAWAY")
                #expect(failures.count == 0, "first failure: \(failures.first ?? "")")
            }
        }
    }

    @Test func aBalancedClientReconnectsToEachReplicaAcrossTheGoaway() async throws {
        var config = Self.ageConfig
        config.host = "127.0.0.2"
        let probeA = CancellationProbe()
        let a = RPCServer(router: EchoMethods.router(probe: probeA), config: config)
        config.host = "127.0.0.3"
        let probeB = CancellationProbe()
        let b = RPCServer(router: EchoMethods.router(probe: probeB), config: config)
        let resolver = ScriptedResolver([try await a.start()[0], try await b.start()[0]])
        let transport = HTTP2ClientTransport(
            config: .init(
                host: "echo.test", port: 50051, backoffInitial: .milliseconds(50), resolver: resolver))
        // Two connections per replica at least: four distinct peers.
        let (peers, failures) = try await callAcrossAges(RPCClient(transport: transport), connections: 4)
        await transport.close()
        #expect(peers.count >= 4)
        #expect(failures.count == 0, "first failure: \(failures.first ?? "")")
        #expect(probeA.calls > 0 && probeB.calls > 0)
        await a.shutdown(gracePeriod: .seconds(1))
        await b.shutdown(gracePeriod: .seconds(1))
    }

    /// A connection drained by GOAWAY(NO_ERROR) is no failed attempt, however young: with an
    /// age far below the client's initial backoff (1 s), a balanced client keeps every call
    /// working instead of marking the only replica unreachable and backing off.
    @Test func aGracefulGoawayOnAYoungConnectionIsNotAFailedAttempt() async throws {
        var config = Self.ageConfig
        config.host = "127.0.0.2"
        let server = RPCServer(router: EchoMethods.router(probe: CancellationProbe()), config: config)
        let resolver = ScriptedResolver([try await server.start()[0]])
        let transport = HTTP2ClientTransport(
            config: .init(
                host: "echo.test", port: 50051, backoffInitial: .seconds(1), resolver: resolver))
        let (peers, failures) = try await callAcrossAges(RPCClient(transport: transport), connections: 4)
        await transport.close()
        #expect(peers.count >= 4)
        #expect(failures.count == 0, "first failure: \(failures.first ?? "")")
        await server.shutdown(gracePeriod: .seconds(1))
    }

    /// Seen by a plain HTTP/2 peer (Debian's `nghttp`): GOAWAY(NO_ERROR) once the age has
    /// passed, and the call in flight still completes.
    @Test func serverSendsGoawayAfterTheAgeAndLetsTheCallInFlightFinish() async throws {
        let body = FileManager.default.temporaryDirectory.appendingPathComponent("rpchttp2-sleep-\(getpid()).grpc")
        let message = Array("1000".utf8)
        _ = FileManager.default.createFile(atPath: body.path, contents: Data([0, 0, 0, 0, UInt8(message.count)] + message))
        defer { try? FileManager.default.removeItem(at: body) }
        try await withServer(config: Self.ageConfig) { _, port in
            let output = try await Task.detached {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/nghttp")
                process.arguments = [
                    "-nv", "-t", "10", "-d", body.path, "-H", "content-type: application/grpc", "-H", "te: trailers",
                    "http://127.0.0.1:\(port)/test.Echo/Sleep",
                ]
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = pipe
                try process.run()
                let output = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return String(decoding: output, as: UTF8.self)
            }.value
            #expect(output.contains("recv GOAWAY frame"))
            #expect(output.contains("error_code=NO_ERROR"))
            #expect(output.contains("grpc-status: 0"), "the sleeping call finished during the drain")
            let goaway = output.range(of: "recv GOAWAY frame")
            let status = output.range(of: "grpc-status: 0")
            if let goaway, let status {
                #expect(goaway.lowerBound < status.lowerBound, "GOAWAY came while the call was still open")
            }
        }
    }
}
