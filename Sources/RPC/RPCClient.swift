/// Typed calls over a `ClientTransport`: encodes requests, decodes responses. An undecodable
/// response fails the call with INTERNAL.
public struct RPCClient: Sendable {
    /// Carries the calls; the client owns nothing else, so it is as cheap to copy as the reference.
    public let transport: any ClientTransport
    /// `transport` when it can make unary calls without a task, cast once here rather than on
    /// every call (a dynamic cast to a protocol costs a conformance lookup each time).
    let callbacks: (any CallbackClientTransport)?

    /// A client on `transport`. Closing the transport is its owner's job, not the client's.
    public init(transport: any ClientTransport) {
        self.transport = transport
        self.callbacks = transport as? any CallbackClientTransport
    }

    /// Sends one request, returns the one response with its metadata. Throws `RPCError` for any
    /// non-OK status, INTERNAL when the response does not decode as `Response`.
    public func unary<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        request: Request,
        responseType: Response.Type = Response.self,
        options: CallOptions = .defaults
    ) async throws -> UnaryResponse<Response> {
        let response = try await transport.unary(method: method, request: request.serializedBytes(), options: options)
        return try response.map(decodeResponse)
    }

    /// Sends one request and hands the response stream to `onResponse` once the response headers
    /// arrive; the call ends (cancelling the stream if still open) when `onResponse` returns, and
    /// its result is returned. A Trailers-Only error throws without calling `onResponse`.
    public func serverStreaming<Request: RPCMessage, Response: RPCMessage, Result: Sendable>(
        _ method: MethodDescriptor,
        request: Request,
        responseType: Response.Type = Response.self,
        options: CallOptions = .defaults,
        onResponse: @escaping @Sendable (StreamingClientResponse<Response>) async throws -> Result
    ) async throws -> Result {
        let bytes = request.serializedBytes()
        return try await transport.streaming(
            method: method,
            options: options,
            requestProducer: { try await $0.write(bytes) },
            onResponse: { try await onResponse($0.map(decodeResponse)) }
        )
    }

    /// Sends what `requestProducer` writes (the request stream is half-closed when it returns) and
    /// returns the single response. INTERNAL when the server answers OK without a message.
    public func clientStreaming<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        responseType: Response.Type = Response.self,
        options: CallOptions = .defaults,
        requestProducer: @escaping @Sendable (RPCWriter<Request>) async throws -> Void
    ) async throws -> UnaryResponse<Response> {
        try await transport.streaming(
            method: method,
            options: options,
            requestProducer: { try await requestProducer($0.map { $0.serializedBytes() }) },
            onResponse: { response in
                var iterator = response.messages.makeAsyncIterator()
                guard let first = try await iterator.next() else {
                    throw RPCError(code: .internal, message: "client-streaming call ended without a response message")
                }
                while try await iterator.next() != nil {}
                return UnaryResponse(
                    message: try decodeResponse(first) as Response,
                    initialMetadata: response.initialMetadata,
                    trailingMetadata: try await response.trailingMetadata()
                )
            }
        )
    }

    /// Requests from `requestProducer` and responses to `onResponse` at the same time; the call
    /// ends when `onResponse` returns, as in `serverStreaming`.
    public func bidirectional<Request: RPCMessage, Response: RPCMessage, Result: Sendable>(
        _ method: MethodDescriptor,
        responseType: Response.Type = Response.self,
        options: CallOptions = .defaults,
        requestProducer: @escaping @Sendable (RPCWriter<Request>) async throws -> Void,
        onResponse: @escaping @Sendable (StreamingClientResponse<Response>) async throws -> Result
    ) async throws -> Result {
        try await transport.streaming(
            method: method,
            options: options,
            requestProducer: { try await requestProducer($0.map { $0.serializedBytes() }) },
            onResponse: { try await onResponse($0.map(decodeResponse)) }
        )
    }
}

/// Decodes a response, turning a decode failure into INTERNAL as gRPC clients do.
@Sendable
func decodeResponse<Response: RPCMessage>(_ bytes: [UInt8]) throws -> Response {
    do {
        return try Response(serializedBytes: bytes)
    } catch let error as MessageDecodingError {
        throw RPCError(code: .internal, message: "failed to decode response: \(error.description)")
    }
}
