import NIOCore
import RPC

/// Unary calls without a task (`CallbackClientTransport`): started on the connection's event
/// loop (inline when the caller is already there) and answered from it.
extension HTTP2ClientTransport: CallbackClientTransport {
    /// See `CallbackClientTransport`: the same checks, deadline, metadata, compression, limits
    /// and retries of unprocessed calls as the `async` `unary`. A call made while no connection
    /// is ready (the first one, or after the connection went away) connects from a task, as the
    /// `async` call does, and then goes on the same way; `completion` runs on the connection's
    /// loop, or wherever the connection attempt failed.
    public func unary(
        method: MethodDescriptor, request: [UInt8], options: CallOptions,
        completion: @escaping @Sendable (Result<UnaryResponse<[UInt8]>, any Error>) -> Void
    ) {
        guard request.count <= config.maxSendMessageSize else {
            return completion(
                .failure(RPCError(code: .internal, message: "sent message larger than max (\(request.count) vs. \(config.maxSendMessageSize))")))
        }
        let timeout: Duration?
        do {
            timeout = try effectiveTimeout(options)
        } catch {
            return completion(.failure(error))
        }
        let call = CallbackUnaryCall(
            transport: self, method: method, request: request, options: options, timeout: timeout,
            compression: options.compression ?? config.compression, completion: completion)
        call.attempt(number: 1)
    }
}

/// One callback unary call: what each try needs, and where its stream's outcome goes
/// (`ClientStream.unaryCall`), so a try costs the stream and no closure around it.
final class CallbackUnaryCall: Sendable {
    let transport: HTTP2ClientTransport
    let method: MethodDescriptor
    let request: [UInt8]
    let options: CallOptions
    let timeout: Duration?
    let compression: CompressionAlgorithm?
    let completion: @Sendable (Result<UnaryResponse<[UInt8]>, any Error>) -> Void

    init(
        transport: HTTP2ClientTransport, method: MethodDescriptor, request: [UInt8], options: CallOptions, timeout: Duration?,
        compression: CompressionAlgorithm?, completion: @escaping @Sendable (Result<UnaryResponse<[UInt8]>, any Error>) -> Void
    ) {
        self.transport = transport
        self.method = method
        self.request = request
        self.options = options
        self.timeout = timeout
        self.compression = compression
        self.completion = completion
    }

    /// Try `number`, on a ready connection or, when none is, on one made for it.
    func attempt(number: Int) {
        if let connection = transport.connections.readyConnection() {
            return start(number: number, on: connection)
        }
        Task {
            do {
                start(number: number, on: try await transport.acquireConnection())
            } catch {
                completion(.failure(error))
            }
        }
    }

    private func start(number: Int, on connection: ClientConnection) {
        // Inline when already on the connection's loop (the usual case): no closure to run later.
        if let handler = connection.handler.valueIfOnLoop {
            return begin(number: number, on: handler, allocator: connection.channel.allocator)
        }
        connection.handler.run { handler in
            self.begin(number: number, on: handler, allocator: connection.channel.allocator)
        }
    }

    private func begin(number: Int, on handler: ClientConnectionHandler, allocator: ByteBufferAllocator) {
        let stream = ClientStream(maxReceiveMessageSize: transport.config.maxReceiveMessageSize, allocator: allocator)
        stream.unaryCall = (self, number)
        handler.startUnary(stream, path: method.path, request: request, metadata: options.metadata, timeout: timeout, compression: compression)
    }

    /// The stream of try `number` ended with `result`: a call the server never saw (its
    /// connection was going away) is tried on another.
    func finished(number: Int, _ result: Result<UnaryResponse<[UInt8]>, any Error>) {
        if case .failure(let retry as NotProcessedError) = result {
            if number < HTTP2ClientTransport.maxTransparentAttempts { return attempt(number: number + 1) }
            return completion(.failure(retry.error))
        }
        completion(result)
    }
}
