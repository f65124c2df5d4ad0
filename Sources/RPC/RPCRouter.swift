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

    public init() {}

    /// Mounts every method of a service.
    public mutating func register(_ service: some RPCService) {
        service.registerMethods(with: &self)
    }

    /// Mounts one method; a later registration of the same path replaces an earlier one.
    public mutating func register(_ method: MethodDescriptor, handler: ServerMethodHandler) {
        handlers[method.path] = handler
        methods[method.path] = method
        serviceNames.insert(method.service)
    }

    /// Swaps the handler of a mounted `:path` (a wrapper around it, e.g. admission control).
    mutating func replaceHandler(forPath path: String, with handler: ServerMethodHandler) {
        guard handlers[path] != nil else { return }
        handlers[path] = handler
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
        return mapped
    }

    /// Fully qualified names of the services with at least one mounted method.
    public var services: Set<String> { serviceNames }

    /// Every mounted `:path`.
    public var paths: [String] { handlers.keys.sorted() }
}
