import Contracts
import RPC
import Synchronization

/// The standard `grpc.health.v1.Health` service, ready for any server to mount.
///
/// Each service name has a serving status; `""` is the whole server. `Check` answers the
/// current status (NOT_FOUND for a name never set); `Watch` sends the current status (or
/// SERVICE_UNKNOWN) at once, then every change, until the client goes away.
///
/// ```swift
/// let health = HealthStatusService()                    // "" is SERVING
/// health.setStatus(.serving, forService: "orderhub.v1.Orders")
/// router.register(health)
/// // … on shutdown, before draining:
/// health.enterShutdown()
/// ```
///
/// It is a class so every mount and every caller of `setStatus` share one board; the board
/// sits behind a `Mutex`, so any thread or task may change statuses.
public final class HealthStatusService: Sendable {
    /// A serving status (`SERVING`, `NOT_SERVING`, …).
    public typealias Status = HealthCheckResponse.ServingStatus

    let board: Mutex<HealthStatusBoard>

    /// Starts with these statuses; by default the whole server (`""`) is SERVING.
    public init(statuses: [String: Status] = ["": .serving]) {
        board = Mutex(HealthStatusBoard(statuses: statuses))
    }

    /// Sets the status of `service` (`""` for the whole server) and tells its watchers.
    /// Ignored after `enterShutdown()`.
    public func setStatus(_ status: Status, forService service: String) {
        run(board.withLock { $0.set(status, for: service) })
    }

    /// Forgets `service`: `Check` answers NOT_FOUND and watchers see SERVICE_UNKNOWN.
    public func clearStatus(forService service: String) {
        run(board.withLock { $0.clear(service) })
    }

    /// The status of `service`, or nil when it was never set (or was cleared).
    public func status(forService service: String) -> Status? {
        board.withLock { $0.status(of: service) }
    }

    /// Marks every service NOT_SERVING for good, so load balancers and probes stop sending
    /// traffic before the server drains.
    public func enterShutdown() {
        run(board.withLock { $0.enterShutdown() })
    }

    /// Runs watcher deliveries outside the lock: a delivery only yields to an `AsyncStream`.
    private func run(_ deliveries: [() -> Void]) {
        for deliver in deliveries { deliver() }
    }
}
