import NIOCore
import NIOPosix
import RPC
import Synchronization

/// A gRPC client over HTTP/2, cleartext (prior knowledge) or TLS (`Config.tls`), on nghttp2 and
/// SwiftNIO.
///
/// A literal IP address gets one connection that all calls share as streams. When it cannot
/// be made the call fails at once with UNAVAILABLE, and further calls fail fast until the
/// backoff delay has passed; the next call after it reconnects.
///
/// A host name is resolved (`Config.resolver`) and every address gets a connection; calls go
/// round-robin over the ready ones. An address whose connection fails leaves the rotation and
/// is retried after its backoff delay; the name is resolved again every `resolveInterval` and
/// after a connection fails, so addresses come and go. When no address is reachable, calls
/// fail at once with UNAVAILABLE.
///
/// Either way a GOAWAY sends new calls to a new connection while calls in flight finish on the
/// old one.
///
/// ```swift
/// let transport = HTTP2ClientTransport(config: .defaults(host: "payments", port: 50052))
/// let payments = PaymentsClient(transport: transport)
/// let payment = try await payments.getPayment(.init(id: "…"), options: .init(timeout: .seconds(2)))
/// await transport.close()
/// ```
public final class HTTP2ClientTransport: ClientTransport, Sendable {
    /// The settings the transport was made with.
    public let config: Config
    let group: any EventLoopGroup
    let connections: Connections

    /// A client for `host:port` with the default settings.
    public convenience init(host: String, port: Int, group: (any EventLoopGroup)? = nil) {
        self.init(config: .defaults(host: host, port: port), group: group)
    }

    /// A client for a target string such as `payments:50052` or `dns:///payments:50052`
    /// (see `ClientTarget`), with the default settings.
    public convenience init(target: String, group: (any EventLoopGroup)? = nil) throws {
        let target = try ClientTarget(parsing: target)
        self.init(config: .defaults(host: target.host, port: target.port), group: group)
    }

    /// A client with `config`; it connects on the first call, not here. Connections run on `group`
    /// (NIO's singleton group by default), which must outlive the transport. Call `close()` when done.
    public init(config: Config, group: (any EventLoopGroup)? = nil) {
        self.config = config
        self.group = group ?? MultiThreadedEventLoopGroup.singleton
        self.connections = Connections(target: ClientTarget(host: config.host, port: config.port), config: config, group: self.group)
    }

    /// How many connections a call that no server processed may be tried on. Safe to retry
    /// (nothing was processed); bounded because each try waits for a connection, and a server
    /// cycling connections faster than a busy client starts calls would otherwise loop.
    static let maxTransparentAttempts = 5

    // MARK: ClientTransport

    /// See `ClientTransport`. The request is sent once a connection is ready; a call that no server
    /// processed (refused stream, GOAWAY before it started) is retried on another connection.
    public func unary(method: MethodDescriptor, request: [UInt8], options: CallOptions) async throws -> UnaryResponse<[UInt8]> {
        guard request.count <= config.maxSendMessageSize else {
            throw RPCError(code: .internal, message: "sent message larger than max (\(request.count) vs. \(config.maxSendMessageSize))")
        }
        let timeout = try effectiveTimeout(options)
        // A call the server never saw (its connection was going away) is retried on a new one.
        for _ in 1..<Self.maxTransparentAttempts {
            do {
                return try await unaryAttempt(method: method, request: request, options: options, timeout: timeout)
            } catch is NotProcessedError {
                continue
            }
        }
        do {
            return try await unaryAttempt(method: method, request: request, options: options, timeout: timeout)
        } catch let retry as NotProcessedError {
            throw retry.error
        }
    }

    private func unaryAttempt(method: MethodDescriptor, request: [UInt8], options: CallOptions, timeout: Duration?) async throws -> UnaryResponse<[UInt8]> {
        let connection = try await acquireConnection()
        let stream = ClientStream(maxReceiveMessageSize: config.maxReceiveMessageSize, allocator: connection.channel.allocator)
        let handle = ClientStreamHandle(stream: LoopBound(stream, eventLoop: connection.eventLoop))
        let compression = options.compression ?? config.compression
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                connection.handler.run { handler in
                    guard let stream = handle.stream.valueIfOnLoop else { return }
                    stream.unaryWaiter = continuation
                    handler.startUnary(
                        stream, path: method.path, request: request, metadata: options.metadata, timeout: timeout,
                        compression: compression)
                }
            }
        } onCancel: {
            handle.cancel(RPCError(code: .cancelled, message: "the call was cancelled"))
        }
    }

    /// See `ClientTransport`. Cancelling the calling task resets the stream with CANCEL.
    public func streaming<Output: Sendable>(
        method: MethodDescriptor,
        options: CallOptions,
        requestProducer: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: @escaping @Sendable (StreamingClientResponse<[UInt8]>) async throws -> Output
    ) async throws -> Output {
        let timeout = try effectiveTimeout(options)
        let handle = try await openStream(method: method, options: options, timeout: timeout)
        return try await withTaskCancellationHandler {
            try await withThrowingTaskGroup(of: Void.self, returning: Output.self) { group in
                group.addTask {
                    do {
                        try await requestProducer(RPCWriter { try await handle.write($0) })
                        handle.endRequests()
                    } catch {
                        handle.cancel(ServerConnectionHandler.status(of: error))
                        throw error
                    }
                }
                let start = try await handle.responseStart()
                let initialMetadata: Metadata
                switch start {
                case .headers(let metadata): initialMetadata = metadata
                case .trailersOnlyOK: initialMetadata = [:]
                }
                let response = StreamingClientResponse<[UInt8]>(
                    initialMetadata: initialMetadata,
                    messages: RPCAsyncSequence(makeNext: { { try await handle.next() } }),
                    trailingMetadata: { try await handle.trailers() })
                do {
                    let output = try await onResponse(response)
                    handle.cancel(RPCError(code: .cancelled, message: "the caller finished with the call"))
                    group.cancelAll()
                    return output
                } catch {
                    handle.cancel(RPCError(code: .cancelled, message: "the caller failed"))
                    group.cancelAll()
                    throw error
                }
            }
        } onCancel: {
            handle.cancel(RPCError(code: .cancelled, message: "the call was cancelled"))
        }
    }

    /// Opens a streaming call's stream, retrying on a new connection when the chosen one was
    /// already going away.
    private func openStream(method: MethodDescriptor, options: CallOptions, timeout: Duration?) async throws -> ClientStreamHandle {
        var attempt = 0
        while true {
            attempt += 1
            let connection = try await acquireConnection()
            let stream = ClientStream(maxReceiveMessageSize: config.maxReceiveMessageSize, allocator: connection.channel.allocator)
            let handle = ClientStreamHandle(stream: LoopBound(stream, eventLoop: connection.eventLoop))
            let compression = options.compression ?? config.compression
            let opened: RPCError? = await withCheckedContinuation { continuation in
                connection.handler.run { handler in
                    guard let stream = handle.stream.valueIfOnLoop else { return continuation.resume(returning: nil) }
                    handler.start(
                        stream, path: method.path, metadata: options.metadata, timeout: timeout,
                        compression: compression)
                    if stream.notProcessed, case .failure(let error)? = stream.outcome {
                        return continuation.resume(returning: error)
                    }
                    continuation.resume(returning: nil)
                }
            }
            guard let opened else { return handle }
            if attempt >= Self.maxTransparentAttempts { throw opened }
        }
    }

    /// Closes every connection and stops resolving; calls in flight fail with UNAVAILABLE,
    /// later calls too.
    public func close() async {
        await connections.close()
    }
}
