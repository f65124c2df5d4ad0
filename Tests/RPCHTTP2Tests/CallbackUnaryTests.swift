import NIOCore
import NIOPosix
import RPC
@testable import RPCHTTP2
import Synchronization
import Testing

/// Unary calls without a task (`CallbackClientTransport`): the same outcomes as the `async`
/// call, answered on the caller's event loop.
@Suite("Callback unary calls")
struct CallbackUnaryTests {
    /// What one callback call came back with, and whether its completion ran on `loop`.
    struct Outcome: Sendable {
        let result: Result<UnaryResponse<TestMessage>, any Error>
        let onCallersLoop: Bool

        var code: StatusCode? {
            guard case .failure(let error) = result else { return nil }
            return (error as? RPCError)?.code
        }
    }

    /// Makes the call from `loop`'s thread, as a channel handler would, and waits for its
    /// completion (which must run exactly once).
    static func call(
        _ client: RPCClient, on loop: any EventLoop, _ method: MethodDescriptor, _ text: String, options: CallOptions = .defaults
    ) async -> Outcome {
        let runs = Atomic<Int>(0)
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            loop.execute {
                client.unary(method, request: TestMessage(text), responseType: TestMessage.self, options: options) { result in
                    guard runs.add(1, ordering: .relaxed).newValue == 1 else { return }
                    continuation.resume(returning: Outcome(result: result, onCallersLoop: loop.inEventLoop))
                }
            }
        }
        #expect(runs.load(ordering: .relaxed) == 1)
        return outcome
    }

    /// Runs `body` with a loop-local transport to `port` on a two-loop group; always closes both.
    func withLoopLocalClient(
        port: Int, config: (inout HTTP2ClientTransport.Config) -> Void = { _ in },
        _ body: (RPCClient, LoopLocalClientTransport, any EventLoop) async throws -> Void
    ) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var clientConfig = HTTP2ClientTransport.Config(host: "127.0.0.1", port: port, backoffInitial: .milliseconds(50))
        config(&clientConfig)
        let transport = LoopLocalClientTransport(config: clientConfig, group: group)
        do {
            try await body(RPCClient(transport: transport), transport, group.next())
        } catch {
            await transport.close()
            try await group.shutdownGracefully()
            throw error
        }
        await transport.close()
        try await group.shutdownGracefully()
    }

    @Test("the response comes back on the calling loop, connecting first or not")
    func success() async throws {
        try await withServer { _, port in
            try await withLoopLocalClient(port: port) { client, _, loop in
                for text in ["first", "second", "third"] {
                    let outcome = await Self.call(client, on: loop, EchoMethods.unary, text)
                    #expect(try outcome.result.get().message.text == text)
                    #expect(outcome.onCallersLoop)
                }
                // Metadata both ways, as the async call carries it.
                let outcome = await Self.call(client, on: loop, EchoMethods.metadata, "m", options: CallOptions(metadata: ["x-sent": "1"]))
                let response = try outcome.result.get()
                #expect(response.initialMetadata["x-sent"] == "1")
                #expect(response.trailingMetadata["x-trailer"] == "t")
            }
        }
    }

    @Test("an error status is the server's code, message and metadata")
    func errorStatus() async throws {
        try await withServer { _, port in
            try await withLoopLocalClient(port: port) { client, _, loop in
                let outcome = await Self.call(client, on: loop, EchoMethods.fail, "no such thing")
                guard case .failure(let error as RPCError) = outcome.result else {
                    Issue.record("expected an RPCError, got \(outcome.result)")
                    return
                }
                #expect(error.code == .notFound)
                #expect(error.message == "no such thing")
                #expect(error.metadata.binary("x-why-bin") == [0, 1, 254])
                #expect(outcome.onCallersLoop)
            }
        }
    }

    @Test("the deadline ends the call with DEADLINE_EXCEEDED and cancels the handler")
    func deadline() async throws {
        let probe = CancellationProbe()
        try await withServer(probe: probe) { _, port in
            try await withLoopLocalClient(port: port) { client, _, loop in
                let outcome = await Self.call(client, on: loop, EchoMethods.sleep, "60000", options: CallOptions(timeout: .milliseconds(200)))
                #expect(outcome.code == .deadlineExceeded)
                #expect(outcome.onCallersLoop)
                #expect(await probe.eventually { probe.cancelled == 1 }, "the server handler saw the cancellation")
                // The connection still serves.
                let after = try await Self.call(client, on: loop, EchoMethods.unary, "after").result.get()
                #expect(after.message.text == "after")
            }
        }
    }

    @Test("a stream the server refuses is tried again, then UNAVAILABLE; the connection still serves once the server has room")
    func refusedStreamIsRetriedThenUnavailable() async throws {
        let probe = CancellationProbe()
        try await withServer(config: .init(host: "127.0.0.1", maxInFlightHandlersPerConnection: 1), probe: probe) { _, port in
            try await withLoopLocalClient(port: port) { client, _, loop in
                // Connected first, so the deadline below is all the handler's.
                #expect(try await Self.call(client, on: loop, EchoMethods.unary, "0").result.get().message.text == "0")
                // The first call times out on the client (RST_STREAM); its handler keeps running
                // and holds the connection's one handler slot, so the server refuses new streams.
                let first = await Self.call(client, on: loop, EchoMethods.gated, "1", options: CallOptions(timeout: .milliseconds(500)))
                #expect(first.code == .deadlineExceeded)
                #expect(await probe.eventually { probe.started == 1 })
                let refused = await Self.call(client, on: loop, EchoMethods.unary, "2")
                #expect(refused.code == .unavailable, "REFUSED_STREAM on every try while the reset call's handler still runs")
                #expect(refused.onCallersLoop)
                probe.open()
                #expect(await probe.eventually { probe.finished == 1 })
                let after = try await Self.call(client, on: loop, EchoMethods.unary, "3").result.get()
                #expect(after.message.text == "3")
            }
        }
    }

    @Test("a response over the receive limit is RESOURCE_EXHAUSTED; a request over the send limit is INTERNAL")
    func messageSizeLimits() async throws {
        try await withServer { _, port in
            try await withLoopLocalClient(
                port: port,
                config: {
                    $0.maxReceiveMessageSize = 10; $0.maxSendMessageSize = 20
                }
            ) { client, _, loop in
                #expect(await Self.call(client, on: loop, EchoMethods.big, "11").code == .resourceExhausted)
                #expect(await Self.call(client, on: loop, EchoMethods.unary, String(repeating: "x", count: 21)).code == .internal)
                let atLimit = try await Self.call(client, on: loop, EchoMethods.big, "10").result.get()
                #expect(atLimit.message.bytes.count == 10)
            }
        }
    }

    @Test("the connection closing mid-call fails it with UNAVAILABLE; the next call reconnects")
    func connectionDrops() async throws {
        let probe = CancellationProbe()
        try await withServer(probe: probe) { _, port in
            try await withLoopLocalClient(port: port) { client, _, loop in
                // Connected first, so the call below is surely under way when the connection goes.
                _ = try await Self.call(client, on: loop, EchoMethods.unary, "warm-up").result.get()
                let transport = HTTP2ClientTransport(config: .init(host: "127.0.0.1", port: port), group: loop)
                let direct = RPCClient(transport: transport)
                async let outcome = Self.call(direct, on: loop, EchoMethods.sleep, "60000")
                #expect(await probe.eventually { probe.started == 1 })
                try await transport.connections.readyConnection()?.channel.close()
                let dropped = await outcome
                #expect(dropped.code == .unavailable)
                #expect(dropped.onCallersLoop)
                #expect(try await Self.call(direct, on: loop, EchoMethods.unary, "again").result.get().message.text == "again")
                await transport.close()
            }
        }
    }
}
