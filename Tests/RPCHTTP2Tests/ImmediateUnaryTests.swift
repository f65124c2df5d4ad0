import RPC
import RPCHTTP2
import RPCTestSupport
import Testing

/// Unary methods with an immediate part (`RPCRouter.registerUnary(_:immediate:handler:)`): the
/// server answers them on the event loop when it can, and in a task otherwise, with every
/// feature of a plain unary call (status, deadline, cancellation).
@Suite struct ImmediateUnaryTests {
    @Test func answersAtOnceOrAfterWaiting() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                let now = try await client.unary(EchoMethods.immediate, request: TestMessage("now-1"), responseType: TestMessage.self)
                #expect(now.message.text == "now:now-1")
                let later = try await client.unary(EchoMethods.immediate, request: TestMessage("x"), responseType: TestMessage.self)
                #expect(later.message.text == "later:x")
                // Many at once on one connection, both ways mixed.
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<40 {
                        let text = index.isMultiple(of: 2) ? "now\(index)" : "\(index)"
                        group.addTask {
                            let reply = try await client.unary(EchoMethods.immediate, request: TestMessage(text), responseType: TestMessage.self)
                            return reply.message.text == (index.isMultiple(of: 2) ? "now:" : "later:") + text
                        }
                    }
                    for try await matched in group { #expect(matched) }
                }
            }
        }
    }

    @Test func errorsOfEitherPartBecomeTheStatus() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                let atOnce = await statusCode {
                    _ = try await client.unary(EchoMethods.immediateFail, request: TestMessage("x"), responseType: TestMessage.self)
                }
                #expect(atOnce == .failedPrecondition)
                let later = await statusCode {
                    _ = try await client.unary(EchoMethods.immediate, request: TestMessage("fail"), responseType: TestMessage.self)
                }
                #expect(later == .notFound)
                let reply = try await client.unary(EchoMethods.immediate, request: TestMessage("now ok"), responseType: TestMessage.self)
                #expect(reply.message.text == "now:now ok", "the connection still serves")
            }
        }
    }

    @Test func theWaitingPartHonoursTheDeadline() async throws {
        let probe = CancellationProbe()
        try await withServer(probe: probe) { _, port in
            try await withClient(port: port) { client, _ in
                let code = await statusCode {
                    _ = try await client.unary(
                        EchoMethods.immediate, request: TestMessage("sleep"), responseType: TestMessage.self,
                        options: CallOptions(timeout: .milliseconds(200)))
                }
                #expect(code == .deadlineExceeded)
                #expect(await probe.eventually { probe.cancelled == 1 }, "the handler's task was cancelled")
                let reply = try await client.unary(EchoMethods.immediate, request: TestMessage("now"), responseType: TestMessage.self)
                #expect(reply.message.text == "now:now")
            }
        }
    }

    @Test func aCancelledCallCancelsTheWaitingPart() async throws {
        let probe = CancellationProbe()
        try await withServer(probe: probe) { _, port in
            try await withClient(port: port) { client, _ in
                let call = Task {
                    try await client.unary(EchoMethods.immediate, request: TestMessage("sleep"), responseType: TestMessage.self)
                }
                #expect(await probe.eventually { probe.started == 1 })
                call.cancel()
                #expect(await statusCode { _ = try await call.value } == .cancelled)
                #expect(await probe.eventually { probe.cancelled == 1 }, "RST_STREAM cancelled the handler's task")
            }
        }
    }
}
