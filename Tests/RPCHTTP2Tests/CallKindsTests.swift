import RPC
import RPCHTTP2
import Synchronization
import Testing

@Suite struct CallKindsTests {
    @Test func unaryEchoes() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                let response = try await client.unary(EchoMethods.unary, request: TestMessage("hello"), responseType: TestMessage.self)
                #expect(response.message.text == "hello")
                let empty = try await client.unary(EchoMethods.unary, request: TestMessage([]), responseType: TestMessage.self)
                #expect(empty.message.bytes.isEmpty)
            }
        }
    }

    @Test func manyConcurrentUnaryCallsShareOneConnection() async throws {
        try await withServer { server, port in
            try await withClient(port: port) { client, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<200 {
                        group.addTask {
                            let response = try await client.unary(EchoMethods.unary, request: TestMessage("\(index)"), responseType: TestMessage.self)
                            #expect(response.message.text == "\(index)")
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(server.connectionCount == 1)
            }
        }
    }

    @Test func largeMessagesCrossFlowControlWindows() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                let payload = TestMessage((0..<700_000).map { UInt8(truncatingIfNeeded: $0) })
                let response = try await client.unary(EchoMethods.unary, request: payload, responseType: TestMessage.self)
                #expect(response.message == payload)
            }
        }
    }

    @Test func serverStreamingSendsEveryMessageInOrder() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                let texts = try await client.serverStreaming(EchoMethods.serverStream, request: TestMessage("50"), responseType: TestMessage.self) { response in
                    var texts: [String] = []
                    for try await message in response.messages { texts.append(message.text) }
                    return texts
                }
                #expect(texts == (0..<50).map { "\($0)" })
            }
        }
    }

    @Test func serverStreamingWithBackpressure() async throws {
        // 2000 messages of 1 KiB: more than every window and buffer, read slowly at first.
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                let count = try await client.serverStreaming(EchoMethods.serverStream, request: TestMessage("2000"), responseType: TestMessage.self) {
                    response in
                    var count = 0
                    for try await _ in response.messages {
                        count += 1
                        if count < 5 { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    return count
                }
                #expect(count == 2000)
            }
        }
    }

    @Test func clientStreamingConcatenates() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                let response = try await client.clientStreaming(EchoMethods.clientStream, responseType: TestMessage.self) { writer in
                    for part in ["a", "b", "c"] { try await writer.write(TestMessage(part)) }
                }
                #expect(response.message.text == "abc")
            }
        }
    }

    @Test func clientStreamingOfManyMessages() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                let response = try await client.clientStreaming(EchoMethods.clientStream, responseType: TestMessage.self) { writer in
                    for _ in 0..<500 { try await writer.write(TestMessage([UInt8](repeating: 1, count: 1000))) }
                }
                #expect(response.message.bytes.count == 500_000)
            }
        }
    }

    @Test func bidirectionalPingPongInterleaves() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                let (requests, continuation) = AsyncStream.makeStream(of: String.self)
                // The response headers come with the first reply, so the first request goes first.
                continuation.yield("one")
                let seen = try await client.bidirectional(
                    EchoMethods.bidi, responseType: TestMessage.self,
                    requestProducer: { writer in
                        for await text in requests { try await writer.write(TestMessage(text)) }
                    },
                    onResponse: { response in
                        var seen: [String] = []
                        var iterator = response.messages.makeAsyncIterator()
                        for next in ["two", "three", nil] {
                            // Each reply arrives before the next request is even produced.
                            guard let reply = try await iterator.next() else { break }
                            seen.append(reply.text)
                            if let next { continuation.yield(next) }
                        }
                        continuation.finish()
                        #expect(try await iterator.next() == nil)
                        #expect(try await response.trailingMetadata()["x-bidi-done"] == "yes")
                        return seen
                    })
                #expect(seen == ["echo:one", "echo:two", "echo:three"])
            }
        }
    }

    @Test func emptyBidirectionalStream() async throws {
        try await withServer { _, port in
            try await withClient(port: port) { client, _ in
                let count = try await client.bidirectional(
                    EchoMethods.bidi, responseType: TestMessage.self,
                    requestProducer: { (_: RPCWriter<TestMessage>) in },
                    onResponse: { response in
                        var count = 0
                        for try await _ in response.messages { count += 1 }
                        return count
                    })
                #expect(count == 0)
            }
        }
    }

    @Test(arguments: [RPCServer.HandlerExecution.eventLoop, .globalExecutor])
    func bothHandlerExecutionsServeEveryKind(execution: RPCServer.HandlerExecution) async throws {
        try await withServer(config: .init(host: "127.0.0.1", handlerExecution: execution)) { _, port in
            try await withClient(port: port) { client, _ in
                let reply2 = try await client.unary(EchoMethods.unary, request: TestMessage("u"), responseType: TestMessage.self)
                #expect(reply2.message.text == "u")
                let streamed = try await client.serverStreaming(EchoMethods.serverStream, request: TestMessage("3"), responseType: TestMessage.self) {
                    response in
                    var count = 0
                    for try await _ in response.messages { count += 1 }
                    return count
                }
                #expect(streamed == 3)
            }
        }
    }

    @Test func slowClientReaderHoldsBackTheServerWriter() async throws {
        let probe = CancellationProbe()
        try await withServer(probe: probe) { _, port in
            try await withClient(port: port) { client, _ in
                let total = try await client.serverStreaming(EchoMethods.flood, request: TestMessage("go"), responseType: TestMessage.self) { response in
                    var iterator = response.messages.makeAsyncIterator()
                    _ = try await iterator.next()
                    try await Task.sleep(for: .milliseconds(300))
                    // Flow-control windows and the bounded buffers stop the writer far short of 10 000.
                    #expect(probe.progress < 1000, "the server wrote \(probe.progress) messages ahead of the reader")
                    var count = 1
                    while try await iterator.next() != nil { count += 1 }
                    return count
                }
                #expect(total == 10_000)
            }
        }
    }

    @Test func slowServerReaderHoldsBackTheClientWriter() async throws {
        let probe = CancellationProbe()
        let written = CancellationProbe()
        try await withServer(probe: probe) { _, port in
            try await withClient(port: port) { client, _ in
                let call = Task {
                    try await client.clientStreaming(EchoMethods.sink, responseType: TestMessage.self) { writer in
                        let message = TestMessage([UInt8](repeating: 2, count: 1024))
                        for _ in 0..<10_000 {
                            try await writer.write(message)
                            written.markProgress()
                        }
                    }
                }
                #expect(await probe.eventually { written.progress > 10 })
                try await Task.sleep(for: .milliseconds(300))
                #expect(written.progress < 1000, "the client wrote \(written.progress) messages ahead of the reader")
                probe.open()
                let response = try await call.value
                #expect(response.message.text == "10000")
            }
        }
    }
}
