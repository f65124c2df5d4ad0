import RPC
import Synchronization

/// A `ClientTransport` that calls an `RPCRouter`'s handlers in the same process: the gateway's
/// client stubs and a service implementation meet without a socket. Deadlines are enforced
/// (DEADLINE_EXCEEDED) and every call is recorded.
final class InProcessTransport: ClientTransport, Sendable {
    /// One call as the transport saw it.
    struct Call: Sendable {
        var method: MethodDescriptor
        var options: CallOptions
    }

    let router: RPCRouter
    private let log = Mutex<[Call]>([])

    init(router: RPCRouter) {
        self.router = router
    }

    convenience init(services: [any RPCService]) {
        var router = RPCRouter()
        for service in services { router.register(service) }
        self.init(router: router)
    }

    var calls: [Call] { log.withLock { $0 } }

    func unary(method: MethodDescriptor, request: [UInt8], options: CallOptions) async throws -> UnaryResponse<[UInt8]> {
        log.withLock { $0.append(Call(method: method, options: options)) }
        guard let handler = router.handler(forPath: method.path)?.unaryFunction else {
            throw RPCError.unimplemented("method not found: \(method.path)")
        }
        let context = ServerContext(
            path: method.path, requestMetadata: options.metadata,
            deadline: options.timeout.map { ContinuousClock.now + $0 }, peer: "in-process"
        )
        return try await withDeadline(options.timeout) { try await handler(request, context) }
    }

    func streaming<Result: Sendable>(
        method: MethodDescriptor,
        options: CallOptions,
        requestProducer: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: @escaping @Sendable (StreamingClientResponse<[UInt8]>) async throws -> Result
    ) async throws -> Result {
        log.withLock { $0.append(Call(method: method, options: options)) }
        guard case .streaming(let handler)? = router.handler(forPath: method.path) else {
            throw RPCError.unimplemented("method not found: \(method.path)")
        }
        let requests = Mutex<[[UInt8]]>([])
        try await requestProducer(RPCWriter { message in requests.withLock { $0.append(message) } })
        let context = ServerContext(path: method.path, requestMetadata: options.metadata, peer: "in-process")
        let (responses, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let writer = ServerResponseWriter(
            sendInitialMetadata: { _ in },
            messages: RPCWriter { continuation.yield($0) }
        )
        let server = Task {
            do {
                _ = try await handler(.of(requests.withLock { $0 }), writer, context)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        defer { server.cancel() }
        // A call that fails before its first message is Trailers-Only: it throws without
        // reaching `onResponse`, as the real transport does.
        var iterator = responses.makeAsyncIterator()
        let first = try await iterator.next()
        let rest = IteratorBox(iterator)
        let messages = RPCAsyncSequence<[UInt8]>(makeNext: {
            var pending = first
            return {
                if let message = pending {
                    pending = nil
                    return message
                }
                return try await rest.next()
            }
        })
        return try await onResponse(StreamingClientResponse(initialMetadata: [:], messages: messages, trailingMetadata: { [:] }))
    }

    private func withDeadline<T: Sendable>(_ timeout: Duration?, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let timeout else { return try await body() }
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw RPCError.deadlineExceeded("deadline exceeded after \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}

/// Shares one stream iterator with the closure that advances it (one consumer at a time).
private final class IteratorBox: @unchecked Sendable {
    // @unchecked: only the single response consumer calls `next()`, never concurrently.
    private var iterator: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator

    init(_ iterator: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> [UInt8]? {
        try await iterator.next()
    }
}
