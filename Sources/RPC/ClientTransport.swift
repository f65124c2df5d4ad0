/// What a client needs from a transport, on raw message bytes. `RPCClient` and the generated
/// stubs sit on top of it.
public protocol ClientTransport: Sendable {
    /// One request, one response. Throws `RPCError` for every non-OK status, including
    /// UNAVAILABLE when no connection can be made and DEADLINE_EXCEEDED when
    /// `options.timeout` passes.
    func unary(method: MethodDescriptor, request: [UInt8], options: CallOptions) async throws -> UnaryResponse<[UInt8]>

    /// Any streaming call. `requestProducer` writes the requests; the request stream is
    /// half-closed when it returns. `onResponse` runs once the response headers arrive, and
    /// the call ends (cancelling the stream if still open) when it returns. A Trailers-Only
    /// error response throws its `RPCError` without calling `onResponse`.
    func streaming<Result: Sendable>(
        method: MethodDescriptor,
        options: CallOptions,
        requestProducer: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: @escaping @Sendable (StreamingClientResponse<[UInt8]>) async throws -> Result
    ) async throws -> Result
}
