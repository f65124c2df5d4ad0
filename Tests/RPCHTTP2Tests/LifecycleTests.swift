import RPC
import RPCHTTP2
import RPCTestSupport
import Testing

@Suite struct LifecycleTests {
    @Test func gracefulShutdownLetsInFlightCallsFinishAndRefusesNewConnections() async throws {
        let probe = CancellationProbe()
        let server = RPCServer(router: EchoMethods.router(probe: probe), config: .init(host: "127.0.0.1"))
        try await server.start()
        let port = server.port!
        try await withClient(port: port) { client, _ in
            let inFlight = Task {
                try await client.unary(EchoMethods.sleep, request: TestMessage("400"), responseType: TestMessage.self)
            }
            #expect(await probe.eventually { probe.started == 1 })
            let shutdown = Task { await server.shutdown(gracePeriod: .seconds(5)) }
            // New connections are refused once the listener is closed.
            var refused = false
            for _ in 0..<200 where !refused {
                refused = await !canConnect(port: port)
                if !refused { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(refused)
            try await withClient(port: port) { other, _ in
                let code = await statusCode {
                    _ = try await other.unary(EchoMethods.unary, request: TestMessage("new"), responseType: TestMessage.self)
                }
                #expect(code == .unavailable)
            }
            let response = try await inFlight.value
            #expect(response.message.text == "400", "the in-flight call finished during the drain")
            await shutdown.value
            #expect(probe.cancelled == 0)
        }
    }

    @Test func drainGracePeriodCutsOffSlowCalls() async throws {
        let probe = CancellationProbe()
        let server = RPCServer(router: EchoMethods.router(probe: probe), config: .init(host: "127.0.0.1"))
        try await server.start()
        try await withClient(port: server.port!) { client, _ in
            let slow = Task {
                try await client.unary(EchoMethods.sleep, request: TestMessage("60000"), responseType: TestMessage.self)
            }
            #expect(await probe.eventually { probe.started == 1 })
            await server.shutdown(gracePeriod: .milliseconds(200))
            let code = await statusCode { _ = try await slow.value }
            #expect(code == .unavailable)
            #expect(await probe.eventually { probe.cancelled == 1 }, "the cut-off handler was cancelled")
        }
    }

    @Test func clientFailsFastWithUnavailableWhenNothingListens() async throws {
        try await withHeldPort { port in
            try await withClient(port: port) { client, _ in
                // A client that waited for the server instead would end at the deadline with
                // DEADLINE_EXCEEDED; failing fast ends in UNAVAILABLE first.
                let patient = CallOptions(timeout: .seconds(60))
                for _ in 0..<2 {
                    let code = await statusCode {
                        _ = try await client.unary(EchoMethods.unary, request: TestMessage("x"), responseType: TestMessage.self, options: patient)
                    }
                    #expect(code == .unavailable)
                }
                let streamingCode = await statusCode {
                    _ = try await client.serverStreaming(EchoMethods.serverStream, request: TestMessage("1"), responseType: TestMessage.self) { _ in 0 }
                }
                #expect(streamingCode == .unavailable)
            }
        }
    }

    @Test func clientReconnectsAfterTheServerRestarts() async throws {
        // The port stays held between the two servers, so nothing else can bind it meanwhile.
        try await withHeldPort { port in
            let first = RPCServer(router: EchoMethods.router(probe: CancellationProbe()), config: .init(host: "127.0.0.1", port: port))
            try await first.start()
            try await withClient(port: port) { client, _ in
                let reply = try await client.unary(EchoMethods.unary, request: TestMessage("before"), responseType: TestMessage.self)
                #expect(reply.message.text == "before")
                await first.shutdown(gracePeriod: .seconds(1))
                let code = await statusCode {
                    _ = try await client.unary(EchoMethods.unary, request: TestMessage("down"), responseType: TestMessage.self)
                }
                #expect(code == .unavailable)
                let second = RPCServer(router: EchoMethods.router(probe: CancellationProbe()), config: .init(host: "127.0.0.1", port: port))
                try await second.start()
                // Within the backoff calls fail fast; after it the next call reconnects.
                var answered = false
                for _ in 0..<50 where !answered {
                    if let response = try? await client.unary(EchoMethods.unary, request: TestMessage("after"), responseType: TestMessage.self) {
                        answered = response.message.text == "after"
                    } else {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
                #expect(answered)
                await second.shutdown(gracePeriod: .seconds(1))
            }
        }
    }
}
