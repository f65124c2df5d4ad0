/// Typed registration: decodes requests and encodes responses around a typed handler.
/// Undecodable requests end the call with INVALID_ARGUMENT.
extension RPCRouter {
    /// Mounts a unary method whose handler takes and returns typed messages (no response
    /// metadata; see `registerUnaryWithMetadata`).
    public mutating func registerUnary<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        register(
            method,
            handler: .unary { bytes, context in
                let request: Request = try decodeRequest(bytes)
                return UnaryResponse(message: try await handler(request, context).serializedBytes())
            })
    }

    /// A unary handler that also sets response metadata.
    public mutating func registerUnaryWithMetadata<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        handler: @escaping @Sendable (Request, ServerContext) async throws -> UnaryResponse<Response>
    ) {
        register(
            method,
            handler: .unary { bytes, context in
                let request: Request = try decodeRequest(bytes)
                return try await handler(request, context).map { $0.serializedBytes() }
            })
    }

    /// Mounts a server-streaming method: the handler reads its one request and writes responses
    /// until it returns, which ends the call with OK. Zero or several request messages end the
    /// call with UNIMPLEMENTED, as gRPC does.
    public mutating func registerServerStreaming<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        handler: @escaping @Sendable (Request, RPCWriter<Response>, ServerContext) async throws -> Void
    ) {
        register(
            method,
            handler: .streaming { requests, responses, context in
                let request: Request = try await singleRequest(requests)
                let writer = RPCWriter<[UInt8]>({ try await responses.write($0) }, sendInitialMetadata: { try await responses.sendInitialMetadata($0) })
                try await handler(request, writer.map { $0.serializedBytes() }, context)
                return [:]
            })
    }

    /// Mounts a client-streaming method: the handler reads the request stream and returns the one
    /// response with its metadata.
    public mutating func registerClientStreaming<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        handler: @escaping @Sendable (RPCAsyncSequence<Request>, ServerContext) async throws -> UnaryResponse<Response>
    ) {
        register(
            method,
            handler: .streaming { requests, responses, context in
                let response = try await handler(requests.map(decodeRequest), context)
                try await responses.sendInitialMetadata(response.initialMetadata)
                try await responses.write(response.message.serializedBytes(), compression: response.compression)
                return response.trailingMetadata
            })
    }

    /// Bidirectional streaming; the handler may send initial metadata through `responses`
    /// and returns the trailing metadata.
    public mutating func registerBidirectional<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        handler: @escaping @Sendable (RPCAsyncSequence<Request>, TypedResponseWriter<Response>, ServerContext) async throws -> Metadata
    ) {
        register(
            method,
            handler: .streaming { requests, responses, context in
                try await handler(requests.map(decodeRequest), TypedResponseWriter(responses), context)
            })
    }
}

/// A `ServerResponseWriter` for typed messages.
public struct TypedResponseWriter<Message: RPCMessage>: Sendable {
    private let raw: ServerResponseWriter

    /// Encodes each message and writes it to `raw`.
    public init(_ raw: ServerResponseWriter) {
        self.raw = raw
    }

    /// See `ServerResponseWriter.sendInitialMetadata(_:)`.
    public func sendInitialMetadata(_ metadata: Metadata) async throws {
        try await raw.sendInitialMetadata(metadata)
    }

    /// Writes one message, compressed `.automatic`ally; suspends while flow control holds it back.
    public func write(_ message: Message) async throws {
        try await raw.write(message.serializedBytes())
    }

    /// Writes one message, compressed as `compression` says.
    public func write(_ message: Message, compression: MessageCompression) async throws {
        try await raw.write(message.serializedBytes(), compression: compression)
    }
}

/// Decodes a request, turning a decode failure into INVALID_ARGUMENT.
@Sendable
func decodeRequest<Request: RPCMessage>(_ bytes: [UInt8]) throws -> Request {
    do {
        return try Request(serializedBytes: bytes)
    } catch let error as MessageDecodingError {
        throw RPCError.invalidArgument(error.description)
    }
}

/// Reads exactly one request message from a stream, as unary-request methods require.
func singleRequest<Request: RPCMessage>(_ requests: RPCAsyncSequence<[UInt8]>) async throws -> Request {
    var iterator = requests.makeAsyncIterator()
    guard let first = try await iterator.next() else {
        throw RPCError.unimplemented("expected one request message, got none")
    }
    guard try await iterator.next() == nil else {
        throw RPCError.unimplemented("expected one request message, got more")
    }
    return try decodeRequest(first)
}
