import Contracts
import RPC

/// The `grpc.health.v1.Health` methods, on the generated `HealthService` protocol.
extension HealthStatusService: HealthService {
    /// The current status of `request.service`; NOT_FOUND when that name was never set.
    public func check(_ request: HealthCheckRequest, context: ServerContext) async throws -> HealthCheckResponse {
        guard let status = status(forService: request.service) else {
            throw RPCError.notFound("unknown service \"\(request.service)\"")
        }
        return HealthCheckResponse(status: status)
    }

    /// Sends the current status of `request.service` (SERVICE_UNKNOWN for an unknown name) at
    /// once, then each change, until the call is cancelled; a slow reader gets the newest status.
    public func watch(
        _ request: HealthCheckRequest, responses: RPCWriter<HealthCheckResponse>, context: ServerContext
    ) async throws {
        // A slow watcher only needs the newest status, never a backlog of old ones.
        let (updates, continuation) = AsyncStream.makeStream(of: Status.self, bufferingPolicy: .bufferingNewest(1))
        let service = request.service
        let watcher = board.withLock { board in
            let added = board.addWatcher(of: service) { continuation.yield($0) }
            continuation.yield(added.current)
            return added.id
        }
        defer { board.withLock { $0.removeWatcher(watcher, of: service) } }
        // The loop ends when the call's task is cancelled (client gone, deadline passed):
        // iterating an AsyncStream returns nil then.
        var lastSent: Status?
        for await status in updates where status != lastSent {
            try await responses.write(HealthCheckResponse(status: status))
            lastSent = status
        }
    }
}

/// Check reads a status from memory: it answers on the connection's loop, without a task.
extension HealthStatusService: ImmediateRPCService {
    public func registerImmediateMethods(with router: inout RPCRouter) {
        router.registerUnary(
            HealthMethod.check,
            immediate: { request, _ in self.status(forService: request.service).map { HealthCheckResponse(status: $0) } },
            handler: { request, context in try await self.check(request, context: context) })
    }
}
