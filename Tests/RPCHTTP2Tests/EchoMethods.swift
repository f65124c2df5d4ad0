import RPC

/// The methods the end-to-end tests call, registered by hand on a router.
enum EchoMethods {
    static let unary = MethodDescriptor(service: "test.Echo", method: "Unary", kind: .unary)
    static let serverStream = MethodDescriptor(service: "test.Echo", method: "ServerStream", kind: .serverStreaming)
    static let clientStream = MethodDescriptor(service: "test.Echo", method: "ClientStream", kind: .clientStreaming)
    static let bidi = MethodDescriptor(service: "test.Echo", method: "Bidi", kind: .bidirectionalStreaming)
    static let sleep = MethodDescriptor(service: "test.Echo", method: "Sleep", kind: .unary)
    static let gated = MethodDescriptor(service: "test.Echo", method: "Gated", kind: .unary)
    static let fail = MethodDescriptor(service: "test.Echo", method: "Fail", kind: .unary)
    static let big = MethodDescriptor(service: "test.Echo", method: "Big", kind: .unary)
    static let metadata = MethodDescriptor(service: "test.Echo", method: "Metadata", kind: .unary)
    static let hold = MethodDescriptor(service: "test.Echo", method: "Hold", kind: .unary)
    static let flood = MethodDescriptor(service: "test.Echo", method: "Flood", kind: .serverStreaming)
    static let sink = MethodDescriptor(service: "test.Echo", method: "Sink", kind: .clientStreaming)
    static let stall = MethodDescriptor(service: "test.Echo", method: "Stall", kind: .bidirectionalStreaming)
    static let peer = MethodDescriptor(service: "test.Echo", method: "Peer", kind: .unary)
    static let crash = MethodDescriptor(service: "test.Echo", method: "Crash", kind: .unary)
    static let crashStream = MethodDescriptor(service: "test.Echo", method: "CrashStream", kind: .serverStreaming)
    static let encoding = MethodDescriptor(service: "test.Echo", method: "Encoding", kind: .unary)
    static let immediate = MethodDescriptor(service: "test.Echo", method: "Immediate", kind: .unary)
    static let immediateFail = MethodDescriptor(service: "test.Echo", method: "ImmediateFail", kind: .unary)

    /// An error that is not an `RPCError`, carrying text the client must never see.
    enum InternalFailure: Error {
        case database(String)
    }

    static func router(probe: CancellationProbe) -> RPCRouter {
        var router = RPCRouter()
        router.registerUnary(unary) { (request: TestMessage, _) in request }
        router.registerServerStreaming(serverStream) { (request: TestMessage, responses: RPCWriter<TestMessage>, _) in
            let count = Int(request.text) ?? 3
            for index in 0..<count { try await responses.write(TestMessage("\(index)")) }
        }
        router.registerClientStreaming(clientStream) { (requests: RPCAsyncSequence<TestMessage>, _) in
            var all: [UInt8] = []
            for try await request in requests { all += request.bytes }
            return UnaryResponse(message: TestMessage(all))
        }
        router.registerBidirectional(bidi) { (requests: RPCAsyncSequence<TestMessage>, responses: TypedResponseWriter<TestMessage>, _) in
            for try await request in requests { try await responses.write(TestMessage("echo:" + request.text)) }
            return ["x-bidi-done": "yes"]
        }
        router.registerUnary(sleep) { (request: TestMessage, _) in
            probe.markStarted()
            do {
                try await Task.sleep(for: .milliseconds(Int(request.text) ?? 60_000))
            } catch {
                probe.markCancelled()
                throw error
            }
            probe.markFinished()
            return request
        }
        router.registerUnary(gated) { (request: TestMessage, _) in
            probe.markStarted()
            await probe.waitAtGate()
            if Task.isCancelled { probe.markCancelled() }
            probe.markFinished()
            return request
        }
        router.registerUnary(fail) { (request: TestMessage, _) -> TestMessage in
            throw RPCError(code: .notFound, message: request.text, metadata: ["x-why-bin": .binary([0, 1, 254])])
        }
        router.registerUnary(big) { (request: TestMessage, _) in
            TestMessage([UInt8](repeating: 7, count: Int(request.text) ?? 0))
        }
        router.registerUnaryWithMetadata(metadata) { (request: TestMessage, context: ServerContext) in
            var initial = Metadata()
            for entry in context.requestMetadata where entry.key.hasPrefix("x-") { initial.add(entry.key, entry.value) }
            return UnaryResponse(message: request, initialMetadata: initial, trailingMetadata: ["x-trailer": "t", "x-trailer-bin": .binary([9, 8])])
        }
        // Runs for 100 ms, recording how many run at once.
        router.registerUnary(hold) { (request: TestMessage, _) in
            probe.enter()
            defer { probe.leave() }
            try await Task.sleep(for: .milliseconds(100))
            return request
        }
        // Writes 10 000 messages of 1 KiB, counting each write that returned.
        router.registerServerStreaming(flood) { (_: TestMessage, responses: RPCWriter<TestMessage>, _) in
            let message = TestMessage([UInt8](repeating: 1, count: 1024))
            for _ in 0..<10_000 {
                try await responses.write(message)
                probe.markProgress()
            }
        }
        // Reads nothing until the gate opens, then counts the requests.
        router.registerClientStreaming(sink) { (requests: RPCAsyncSequence<TestMessage>, _) in
            await probe.waitAtGate()
            var count = 0
            for try await _ in requests { count += 1 }
            return UnaryResponse(message: TestMessage("\(count)"))
        }
        // Answers one message at once, then waits without reading, honouring cancellation.
        router.registerBidirectional(stall) { (_: RPCAsyncSequence<TestMessage>, responses: TypedResponseWriter<TestMessage>, _) in
            try await responses.write(TestMessage("first"))
            probe.markStarted()
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                probe.markCancelled()
                throw error
            }
            return [:]
        }
        // Counts the call and answers with the client's address as the server saw it.
        router.registerUnary(peer) { (_: TestMessage, context: ServerContext) in
            probe.markCall()
            return TestMessage(context.peer)
        }
        router.registerUnary(crash) { (request: TestMessage, _) -> TestMessage in
            throw InternalFailure.database(request.text)
        }
        router.registerServerStreaming(crashStream) { (request: TestMessage, responses: RPCWriter<TestMessage>, _) in
            try await responses.write(TestMessage("first"))
            throw InternalFailure.database(request.text)
        }
        // Answers with the request's compression as the handler saw it, padded to `text` bytes.
        router.registerUnary(encoding) { (request: TestMessage, context: ServerContext) in
            let accepted = context.acceptedEncodings.map(\.name).sorted().joined(separator: ",")
            let seen = "\(context.requestEncoding?.name ?? "identity") accepts \(accepted)"
            return TestMessage(seen + String(repeating: " ", count: max(0, (Int(request.text.split(separator: " ").first ?? "") ?? 0) - seen.count)))
        }
        // Answers `now:` + a request starting with "now" at once, without a task; anything else
        // in its async handler: "sleep" sleeps (honouring cancellation), "fail" fails, the rest
        // comes back as `later:` + the request.
        router.registerUnary(
            immediate,
            immediate: { (request: TestMessage, _) in request.text.hasPrefix("now") ? TestMessage("now:" + request.text) : nil },
            handler: { (request: TestMessage, _) in
                switch request.text {
                case "sleep":
                    probe.markStarted()
                    do {
                        try await Task.sleep(for: .seconds(60))
                    } catch {
                        probe.markCancelled()
                        throw error
                    }
                    return request
                case "fail":
                    throw RPCError(code: .notFound, message: "later failure")
                default:
                    return TestMessage("later:" + request.text)
                }
            })
        // Fails in its immediate part, on the event loop.
        router.register(immediateFail, handler: .immediateUnary { _, _ in throw RPCError(code: .failedPrecondition, message: "at once") })
        return router
    }
}
