extension RPCRouter {
    /// A mounted method as the server finds it from a request's `:path` bytes: the path as a
    /// String (shared by every call, never made per call) and its handler.
    public struct Route: Sendable {
        /// The `:path`, e.g. `/orderhub.v1.Orders/GetOrder`.
        public let path: String
        /// What runs the method.
        public let handler: ServerMethodHandler
        fileprivate let bytes: [UInt8]
    }

    /// The route for a `:path` as HTTP/2 delivered it, or nil when no such method is mounted.
    /// Hashes the bytes themselves: no String is made, so a call costs no allocation here.
    public func route(forPath path: Span<UInt8>) -> Route? {
        routes.route(forPath: path)
    }
}

/// The mounted paths, indexed by their bytes: a power-of-two table of buckets chosen by the
/// FNV-1a hash of the path, each bucket a short list compared byte by byte. Built once per
/// change of the router (at start-up), read by every call; immutable, so it is `Sendable`.
final class RouteTable: Sendable {
    private let buckets: [[RPCRouter.Route]]
    private let mask: Int

    init(_ handlers: [String: ServerMethodHandler] = [:]) {
        var size = 8
        while size < handlers.count * 2 { size *= 2 }
        var buckets = [[RPCRouter.Route]](repeating: [], count: size)
        for (path, handler) in handlers {
            let bytes = Array(path.utf8)
            let hash = RouteTable.hash(bytes.span)
            buckets[hash & (size - 1)].append(RPCRouter.Route(path: path, handler: handler, bytes: bytes))
        }
        self.buckets = buckets
        self.mask = size - 1
    }

    func route(forPath path: Span<UInt8>) -> RPCRouter.Route? {
        for route in buckets[RouteTable.hash(path) & mask] where route.bytes.span.matches(path) {
            return route
        }
        return nil
    }

    /// FNV-1a, 64 bits: a few paths of a few dozen bytes, known in advance; an attacker can only
    /// lengthen one bucket's scan, whose entries are all mounted paths.
    private static func hash(_ bytes: Span<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in bytes.indices { hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }
}
