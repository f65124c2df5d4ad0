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
            method: method, request: request, options: options, timeout: timeout,
            compression: options.compression ?? config.compression, completion: completion)
        attempt(call, number: 1)
    }

    /// One try of `call`, on a ready connection or, when none is, on one made for it.
    private func attempt(_ call: CallbackUnaryCall, number: Int) {
        if let connection = connections.readyConnection() {
            return start(call, number: number, on: connection)
        }
        Task {
            do {
                start(call, number: number, on: try await acquireConnection())
            } catch {
                call.completion(.failure(error))
            }
        }
    }

    private func start(_ call: CallbackUnaryCall, number: Int, on connection: ClientConnection) {
        let maxReceiveMessageSize = config.maxReceiveMessageSize
        connection.handler.run { handler in
            let stream = ClientStream(maxReceiveMessageSize: maxReceiveMessageSize, allocator: connection.channel.allocator)
            stream.unaryCompletion = { result in
                // A call the server never saw (its connection was going away) is tried on another.
                if case .failure(let retry as NotProcessedError) = result {
                    if number < Self.maxTransparentAttempts { return self.attempt(call, number: number + 1) }
                    return call.completion(.failure(retry.error))
                }
                call.completion(result)
            }
            handler.start(
                stream, path: call.method.path, metadata: call.options.metadata, timeout: call.timeout, compression: call.compression)
            guard !stream.isFinished else { return }
            do {
                try handler.send(call.request, on: stream)
                handler.endRequests(stream)
            } catch {
                handler.cancel(stream, error: ServerConnectionHandler.status(of: error))
            }
        }
    }
}

/// What each try of a callback unary call needs.
private struct CallbackUnaryCall: Sendable {
    let method: MethodDescriptor
    let request: [UInt8]
    let options: CallOptions
    let timeout: Duration?
    let compression: CompressionAlgorithm?
    let completion: @Sendable (Result<UnaryResponse<[UInt8]>, any Error>) -> Void
}
