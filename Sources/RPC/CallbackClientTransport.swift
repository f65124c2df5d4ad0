/// A client transport that can also make a unary call without a Swift task: the caller starts
/// it and `completion` runs exactly once, with the response or the call's error.
///
/// For callers that already run on an event loop and answer from a callback (the REST
/// gateway's channel handlers): an `async` call from there needs a task, a continuation and,
/// unless the task's executor is that loop, two thread hops. The deadline, metadata,
/// compression, message-size limits and error mapping are the `async` call's.
///
/// ```swift
/// transport.unary(method: method, request: bytes, options: options) { result in
///     // on the connection's event loop
/// }
/// ```
public protocol CallbackClientTransport: ClientTransport {
    /// Starts one unary call. `completion` runs once, with the response or the error the
    /// `async` `unary` would throw (an `RPCError` for every non-OK status). A transport whose
    /// connections live on event loops runs it on the call's connection's loop; where a call
    /// made on one of its loops takes that loop's connection, that is the caller's own thread.
    func unary(
        method: MethodDescriptor, request: [UInt8], options: CallOptions,
        completion: @escaping @Sendable (Result<UnaryResponse<[UInt8]>, any Error>) -> Void
    )
}

extension RPCClient {
    /// Sends one request and hands the response (or the error) to `completion`: without a task
    /// when the transport is a `CallbackClientTransport` (see there for the thread it runs
    /// on), else from a task running the `async` call. INTERNAL when the response does not
    /// decode as `Response`.
    public func unary<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        request: Request,
        responseType: Response.Type = Response.self,
        options: CallOptions = .defaults,
        completion: @escaping @Sendable (Result<UnaryResponse<Response>, any Error>) -> Void
    ) {
        let bytes = request.serializedBytes()
        let decoding: @Sendable (Result<UnaryResponse<[UInt8]>, any Error>) -> Void = { result in
            completion(result.flatMap { response in Result { try response.map(decodeResponse) } })
        }
        if let callbacks {
            callbacks.unary(method: method, request: bytes, options: options, completion: decoding)
            return
        }
        Task { [transport] in
            do {
                decoding(.success(try await transport.unary(method: method, request: bytes, options: options)))
            } catch {
                decoding(.failure(error))
            }
        }
    }
}
