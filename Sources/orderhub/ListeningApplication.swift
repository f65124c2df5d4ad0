import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A Hummingbird application as a service of the process's group: it listens when the group
/// runs (`port()` waits for that), and on graceful shutdown stops accepting and lets the
/// requests in flight finish for up to `grace`; a request still open then (an event stream,
/// say) is cancelled.
struct ListeningApplication<App: ApplicationProtocol>: Service {
    let name: String
    let address: Address
    let grace: Duration
    private let app: App
    private let bound: BoundPort

    /// Builds the application with a callback for its bound port.
    init(name: String, at address: Address, grace: Duration, build: (@escaping @Sendable (Int) async -> Void) -> App) {
        let bound = BoundPort()
        self.name = name
        self.address = address
        self.grace = grace
        self.bound = bound
        self.app = build { port in _ = bound.fulfil(.success(port)) }
    }

    /// The port it listens on, once it does; throws naming `name` and `address` when it cannot.
    func port() async throws -> Int {
        try await bound.value()
    }

    func run() async throws {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.run() }
                group.addTask {
                    // Returns at once if cancelled: the application is cancelled with it.
                    try? await gracefulShutdown()
                    try? await Task.sleep(for: grace)
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            let failure = SettingError("\(name) cannot listen on \(address): \(error)")
            if bound.fulfil(.failure(failure)) { throw failure }
            throw error
        }
        bound.fulfil(.failure(SettingError("\(name) stopped before listening")))
    }
}

/// A port that becomes known once, waited for by any number of tasks (each may be cancelled).
final class BoundPort: Sendable {
    private struct State {
        var result: Result<Int, any Error>?
        var waiters: [UInt64: CheckedContinuation<Int, any Error>] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Sets the result unless one was set; returns whether this call set it.
    @discardableResult
    func fulfil(_ result: Result<Int, any Error>) -> Bool {
        let waiters: [CheckedContinuation<Int, any Error>]? = state.withLock { state in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        guard let waiters else { return false }
        for waiter in waiters { waiter.resume(with: result) }
        return true
    }

    /// The result, once set.
    func value() async throws -> Int {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let known: Result<Int, any Error>? = state.withLock { state in
                    if let result = state.result { return result }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let known { continuation.resume(with: known) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
