import Contracts

/// The serving status of each service and who is watching it: the rules of `grpc.health.v1`
/// as a plain value type, with no locking or concurrency of its own.
///
/// A service name of `""` stands for the whole server. A name nobody set is unknown: `Check`
/// answers NOT_FOUND and `Watch` sees `SERVICE_UNKNOWN` until the name is set.
struct HealthStatusBoard {
    typealias Status = HealthCheckResponse.ServingStatus

    /// One watcher's delivery closure; it keeps only the newest status when the watcher lags.
    typealias Deliver = @Sendable (Status) -> Void

    private var statuses: [String: Status]
    private var watchers: [String: [Int: Deliver]] = [:]
    private var nextWatcherID = 0
    /// After `enterShutdown()` every status is NOT_SERVING and stays so.
    private(set) var isShutDown = false

    init(statuses: [String: Status]) {
        self.statuses = statuses
    }

    /// The status of `service`, or nil when it is unknown.
    func status(of service: String) -> Status? {
        statuses[service]
    }

    /// Sets a status; returns the deliveries to run (outside any lock) for its watchers.
    mutating func set(_ status: Status, for service: String) -> [() -> Void] {
        guard !isShutDown, statuses[service] != status else { return [] }
        statuses[service] = status
        return deliveries(of: status, to: service)
    }

    /// Forgets a service: its watchers see SERVICE_UNKNOWN.
    mutating func clear(_ service: String) -> [() -> Void] {
        guard !isShutDown, statuses.removeValue(forKey: service) != nil else { return [] }
        return deliveries(of: .serviceUnknown, to: service)
    }

    /// Marks every known service NOT_SERVING and ignores later changes (a draining server).
    mutating func enterShutdown() -> [() -> Void] {
        var pending: [() -> Void] = []
        for service in statuses.keys.sorted() {
            pending += set(.notServing, for: service)
        }
        isShutDown = true
        return pending
    }

    /// Adds a watcher; returns its id and the status it must be sent first.
    mutating func addWatcher(of service: String, deliver: @escaping Deliver) -> (id: Int, current: Status) {
        let id = nextWatcherID
        nextWatcherID += 1
        watchers[service, default: [:]][id] = deliver
        return (id, statuses[service] ?? .serviceUnknown)
    }

    mutating func removeWatcher(_ id: Int, of service: String) {
        watchers[service]?[id] = nil
        if watchers[service]?.isEmpty == true { watchers[service] = nil }
    }

    /// How many watchers a service has (for tests and diagnostics).
    func watcherCount(of service: String) -> Int {
        watchers[service]?.count ?? 0
    }

    private func deliveries(of status: Status, to service: String) -> [() -> Void] {
        (watchers[service] ?? [:]).values.map { deliver in { deliver(status) } }
    }
}
