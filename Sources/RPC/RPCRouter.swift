/// A service a server can mount: it registers its methods' handlers with a router.
/// Generated service protocols refine it and implement `registerMethods(with:)`.
public protocol RPCService: Sendable {
    func registerMethods(with router: inout RPCRouter)
}

/// Maps `:path` to the handler of each method a server serves.
///
/// ```swift
/// var router = RPCRouter()
/// router.register(OrdersServiceImpl())   // a generated service protocol's conformer
/// let handler = router.handler(forPath: "/orderhub.v1.Orders/GetOrder")
/// ```
public struct RPCRouter: Sendable {
    private var handlers: [String: ServerMethodHandler] = [:]
    private var methods: [String: MethodDescriptor] = [:]
    private var serviceNames: Set<String> = []
    /// `handlers` indexed by the bytes of their paths (see `route(forPath:)`), rebuilt on change.
    private(set) var routes = RouteTable()

    /// A router with nothing mounted.
    public init() {}

    /// Mounts every method of a service (and, for an `ImmediateRPCService`, its immediate forms).
    public mutating func register(_ service: some RPCService) {
        service.registerMethods(with: &self)
        if let immediate = service as? any ImmediateRPCService { immediate.registerImmediateMethods(with: &self) }
    }

    /// Mounts one method; a later registration of the same path replaces an earlier one.
    public mutating func register(_ method: MethodDescriptor, handler: ServerMethodHandler) {
        handlers[method.path] = handler
        methods[method.path] = method
        serviceNames.insert(method.service)
        routes = RouteTable(handlers)
    }

    /// Swaps the handler of a mounted `:path` (a wrapper around it, e.g. admission control).
    mutating func replaceHandler(forPath path: String, with handler: ServerMethodHandler) {
        guard handlers[path] != nil else { return }
        handlers[path] = handler
        routes = RouteTable(handlers)
    }

    /// The handler for a `:path`, or nil when no such method is mounted.
    public func handler(forPath path: String) -> ServerMethodHandler? {
        handlers[path]
    }

    /// The method mounted at a `:path`, or nil when there is none.
    public func method(forPath path: String) -> MethodDescriptor? {
        methods[path]
    }

    /// This router with every handler replaced by what `transform` makes of it: how call
    /// observers (metrics, tracing) wrap each method once, at start-up, instead of looking the
    /// method up again on every call.
    public func mapHandlers(_ transform: (MethodDescriptor, ServerMethodHandler) -> ServerMethodHandler) -> RPCRouter {
        var mapped = self
        for (path, handler) in handlers {
            if let method = methods[path] { mapped.handlers[path] = transform(method, handler) }
        }
        mapped.routes = RouteTable(mapped.handlers)
        return mapped
    }

    /// Fully qualified names of the services with at least one mounted method.
    public var services: Set<String> { serviceNames }

    /// Every mounted `:path`.
    public var paths: [String] { handlers.keys.sorted() }
}

extension RPCRouter {
    /// This router with every unary method behind `limiter`: a call beyond its limits ends at
    /// once with RESOURCE_EXHAUSTED and the refusal's reason, before its handler runs.
    ///
    /// Streaming methods (long-lived watches) are not counted: each would hold a slot for its
    /// whole life. Neither are the methods of `exempt` services, such as the health service
    /// a prober must reach however busy the server is.
    public func admitting(through limiter: AdmissionLimiter, exempt: Set<String> = ["grpc.health.v1.Health"]) -> RPCRouter {
        var limited = self
        for path in paths {
            guard let handler = handler(forPath: path), handler.isUnary, let service = Self.service(ofPath: path), !exempt.contains(service) else {
                continue
            }
            limited.replaceHandler(forPath: path, with: Self.admitted(handler, through: limiter))
        }
        return limited
    }

    private static func admitted(_ handler: ServerMethodHandler, through limiter: AdmissionLimiter) -> ServerMethodHandler {
        switch handler {
        case .unary(let run):
            return .unary { request, context in
                try await admitted(through: limiter) { try await run(request, context) }
            }
        case .immediateUnary(let answer):
            return .immediateUnary { request, context in
                // The immediate part never waits: it holds a free slot only while it runs. A
                // call that must wait, or that finds no free slot, is admitted like any other.
                guard limiter.tryAdmit() else {
                    return .later { try await admitted(through: limiter) { try await answer(request, context).response() } }
                }
                let first: UnaryAnswer
                do {
                    defer { limiter.release() }
                    first = try answer(request, context)
                }
                guard case .later(let rest) = first else { return first }
                return .later { try await admitted(through: limiter) { try await rest() } }
            }
        case .streaming:
            return handler
        }
    }

    private static func admitted(
        through limiter: AdmissionLimiter, _ body: () async throws -> UnaryResponse<[UInt8]>
    ) async throws -> UnaryResponse<[UInt8]> {
        do {
            try await limiter.admit()
        } catch let refusal as AdmissionLimiter.Refusal {
            throw RPCError(code: .resourceExhausted, message: refusal.description)
        }
        defer { limiter.release() }
        return try await body()
    }

    /// `orderhub.v1.Orders` of `/orderhub.v1.Orders/GetOrder`.
    private static func service(ofPath path: String) -> String? {
        let parts = path.split(separator: "/")
        return parts.count == 2 ? String(parts[0]) : nil
    }
}
