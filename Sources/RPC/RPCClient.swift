/// Typed calls over a `ClientTransport`: encodes requests, decodes responses. An undecodable
/// response fails the call with INTERNAL.
public struct RPCClient: Sendable {
    public let transport: any ClientTransport

    public init(transport: any ClientTransport) {
        self.transport = transport
    }

    public func unary<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        request: Request,
        responseType: Response.Type = Response.self,
        options: CallOptions = .defaults
    ) async throws -> UnaryResponse<Response> {
        let response = try await transport.unary(method: method, request: request.serializedBytes(), options: options)
        return try response.map(decodeResponse)
    }

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
