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
            guard case .unary(let handler) = handler(forPath: path), let service = Self.service(ofPath: path), !exempt.contains(service) else {
                continue
            }
            limited.replaceHandler(forPath: path, with: .unary { request, context in
                do {
                    try await limiter.admit()
                } catch let refusal as AdmissionLimiter.Refusal {
                    throw RPCError(code: .resourceExhausted, message: refusal.description)
                }
                defer { limiter.release() }
                return try await handler(request, context)
            })
        }
        return limited
    }

    /// `orderhub.v1.Orders` of `/orderhub.v1.Orders/GetOrder`.
    private static func service(ofPath path: String) -> String? {
        let parts = path.split(separator: "/")
        return parts.count == 2 ? String(parts[0]) : nil
    }
}
