import RPC
import RPCHTTP2
import Testing

@Suite struct DeadlineAndCancellationTests {
    @Test func expiredDeadlineCancelsTheHandler() async throws {
        let probe = CancellationProbe()
        try await withServer(probe: probe) { _, port in
            try await withClient(port: port) { client, _ in
                let code = await statusCode {
                    _ = try await client.unary(EchoMethods.sleep, request: TestMessage("10000"), responseType: TestMessage.self,
                                               options: CallOptions(timeout: .milliseconds(200)))
                }
                #expect(code == .deadlineExceeded)
                #expect(await probe.eventually { probe.cancelled == 1 }, "the server handler saw the cancellation")
                #expect(probe.finished == 0)
                // The connection still serves.
                let reply1 = try await client.unary(EchoMethods.unary, request: TestMessage("after"), responseType: TestMessage.self)
                #expect(reply1.message.text == "after")
            }
        }
    }

    @Test func clientConfigDefaultDeadlineApplies() async throws {
        let probe = CancellationProbe()
        try await withServer(probe: probe) { _, port in
            try await withClient(port: port, config: { $0.defaultTimeout = .milliseconds(150) }) { client, _ in
                let code = await statusCode {
                    _ = try await client.unary(EchoMethods.sleep, request: TestMessage("10000"), responseType: TestMessage.self)
                }
                #expect(code == .deadlineExceeded)
                #expect(await probe.eventually { probe.cancelled == 1 })
            }
        }
    }

    @Test func clientCancellationResetsTheStreamAndCancelsTheHandler() async throws {
        let probe = CancellationProbe()
        try await withServer(probe: probe) { _, port in
            try await withClient(port: port) { client, _ in
                let call = Task {
                    try await client.unary(EchoMethods.sleep, request: TestMessage("10000"), responseType: TestMessage.self)
                }
                #expect(await probe.eventually { probe.started == 1 })
                call.cancel()
                let code = await statusCode { _ = try await call.value }
                #expect(code == .cancelled)
                #expect(await probe.eventually { probe.cancelled == 1 }, "RST_STREAM cancelled the handler's task")
            }
        }
    }

    @Test func zeroTimeoutFailsAtOnce() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                let code = await statusCode {
                    _ = try await client.unary(EchoMethods.unary, request: TestMessage("x"), responseType: TestMessage.self, options: CallOptions(timeout: .zero))
                }
                #expect(code == .deadlineExceeded)
            }
        }
    }
}
