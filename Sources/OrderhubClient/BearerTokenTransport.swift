/// A `ClientTransport` that sends `authorization: Bearer <token>` with every call and passes
/// everything else to the transport underneath.
///
/// Orders wants a customer token on every call but health (`orderhub token` prints one), and
/// Payments a service token; wrapping the transport once saves adding the header to the
/// `CallOptions` of each call. A call whose options already carry `authorization` keeps its own.
///
/// ```swift
/// let transport = HTTP2ClientTransport(host: "127.0.0.1", port: 50051)
/// let orders = OrdersClient(transport: BearerTokenTransport(transport, token: token))
/// let order = try await orders.getOrder(.init(id: id))
/// ```
public struct BearerTokenTransport: ClientTransport {
    /// The transport the calls go through.
    public let base: any ClientTransport
    /// The `authorization` value sent: `Bearer <token>`.
    let authorization: String

    /// Calls through `base`, each with `authorization: Bearer <token>`.
    public init(_ base: any ClientTransport, token: String) {
        self.base = base
        self.authorization = "Bearer " + token
    }

    public func unary(method: MethodDescriptor, request: [UInt8], options: CallOptions) async throws -> UnaryResponse<[UInt8]> {
        try await base.unary(method: method, request: request, options: authorized(options))
    }

    public func streaming<Result: Sendable>(
        method: MethodDescriptor,
        options: CallOptions,
        requestProducer: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: @escaping @Sendable (StreamingClientResponse<[UInt8]>) async throws -> Result
    ) async throws -> Result {
        try await base.streaming(method: method, options: authorized(options), requestProducer: requestProducer, onResponse: onResponse)
    }

    /// `options` with the token added, unless they name an `authorization` of their own.
    func authorized(_ options: CallOptions) -> CallOptions {
        guard options.metadata.values("authorization").isEmpty else { return options }
        var options = options
        options.metadata.add("authorization", authorization)
        return options
    }
}
