import RPC
import RPCHTTP2
import RPCTestSupport
import Testing

@Suite struct DeadlineAndCancellationTests {
    @Test func expiredDeadlineCancelsTheHandler() async throws {
        let probe = CancellationProbe()
        try await withServer(probe: probe) { _, port in
            try await withClient(port: port) { client, _ in
                let code = await statusCode {
                    _ = try await client.unary(
                        EchoMethods.sleep, request: TestMessage("10000"), responseType: TestMessage.self,
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

    /// PROTOCOL-HTTP2.md: a deadline that expires after the response headers went out still
    /// ends the call with DEADLINE_EXCEEDED (trailers), then RST_STREAM(NO_ERROR) because the
    /// client is still sending (NO_ERROR after a status, as gRPC core servers do); the handler's
    /// task is cancelled.
    @Test func deadlineAfterTheResponseHeadersSendsTrailersThenReset() async throws {
        let probe = CancellationProbe()
        try await withServer(probe: probe) { _, port in
            try await Nghttp2TestClient.with(port: port) { request, record in
                let id = try await request([
                    (":method", "POST"), (":scheme", "http"), (":path", EchoMethods.stall.path), (":authority", "localhost"),
                    ("content-type", "application/grpc"), ("te", "trailers"), ("grpc-timeout", "300m"),
                ])
                #expect(await probe.eventually { record.stream(id)?.closeCode != nil }, "the server alone ended the call")
                let stream = try #require(record.stream(id))
                #expect(stream.headerBlocks.count == 2, "response headers, then trailers: \(stream.headerBlocks)")
                #expect(stream.headerBlocks.first?[":status"] == "200")
                #expect(stream.dataBytes == 5 + 5, "the message sent before the deadline")
                #expect(stream.headerBlocks.last?["grpc-status"] == "4")
                #expect(stream.closeCode == 0x0, "RST_STREAM(NO_ERROR) after the trailers")
                #expect(await probe.eventually { probe.cancelled == 1 }, "the handler's task was cancelled")
            }
        }
    }

    @Test func zeroTimeoutFailsAtOnce() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                let code = await statusCode {
                    _ = try await client.unary(
                        EchoMethods.unary, request: TestMessage("x"), responseType: TestMessage.self, options: CallOptions(timeout: .zero))
                }
                #expect(code == .deadlineExceeded)
            }
        }
    }
}
