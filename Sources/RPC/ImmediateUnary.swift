/// Unary methods that answer without suspending: no task, no executor hop, no async frames
/// for a call whose answer is already in memory. The server runs the immediate part on the
/// connection's event loop as the request completes; only a call that has to wait (a cache
/// miss, a token to verify) pays for a task.

/// What an immediate unary handler (`ServerMethodHandler.immediateUnary`) made of its call.
public enum UnaryAnswer: Sendable {
    /// The response, ready.
    case now(UnaryResponse<[UInt8]>)
    /// The call has to wait: the transport runs this in a task for the response.
    case later(@Sendable () async throws -> UnaryResponse<[UInt8]>)

    /// The response, waiting for it when it is not ready.
    public func response() async throws -> UnaryResponse<[UInt8]> {
        switch self {
        case .now(let response): return response
        case .later(let rest): return try await rest()
        }
    }
}

extension ServerMethodHandler {
    /// Whether the method takes one request and returns one response (either unary form).
    public var isUnary: Bool {
        switch self {
        case .unary, .immediateUnary: true
        case .streaming: false
        }
    }

    /// A unary method as one async function (an immediate one answering at once or after its
    /// wait), for callers that run it in a task anyway; nil for a streaming method.
    public var unaryFunction: (@Sendable (_ request: [UInt8], _ context: ServerContext) async throws -> UnaryResponse<[UInt8]>)? {
        switch self {
        case .unary(let run): return run
        case .immediateUnary(let answer): return { request, context in try await answer(request, context).response() }
        case .streaming: return nil
        }
    }
}

/// A service some of whose unary methods can answer from memory. After its generated
/// registration has mounted every method, `RPCRouter.register(_:)` lets it mount those again in
/// their immediate form (`RPCRouter.registerUnary(_:immediate:handler:)`).
public protocol ImmediateRPCService: RPCService {
    func registerImmediateMethods(with router: inout RPCRouter)
}

extension RPCRouter {
    /// Mounts a unary method that answers from memory when it can. `immediate` runs on the
    /// connection's event loop, without a task: it returns the response, or nil when the call
    /// has to wait or fail; `handler` then answers it as a plain unary handler would, in a task,
    /// with the request already decoded. So errors are reported (and logged) in one place,
    /// `handler`. `immediate` must not block; it should only read memory.
    public mutating func registerUnary<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        immediate: @escaping @Sendable (Request, ServerContext) -> Response?,
        handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        register(
            method,
            handler: .immediateUnary { bytes, context in
                let request: Request = try decodeRequest(bytes)
                if let response = immediate(request, context) { return .now(UnaryResponse(message: response.serializedBytes())) }
                return .later { UnaryResponse(message: try await handler(request, context).serializedBytes()) }
            })
    }

    /// As `registerUnary(_:immediate:handler:)`, for an immediate part that has the response's
    /// serialized bytes at hand (a memo of an encoded answer), so they are not built again.
    public mutating func registerUnary<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        immediateBytes: @escaping @Sendable (Request, ServerContext) -> [UInt8]?,
        handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        register(
            method,
            handler: .immediateUnary { bytes, context in
                let request: Request = try decodeRequest(bytes)
                if let response = immediateBytes(request, context) { return .now(UnaryResponse(message: response)) }
                return .later { UnaryResponse(message: try await handler(request, context).serializedBytes()) }
            })
    }
}
