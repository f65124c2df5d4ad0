import Hummingbird
import Logging
import ServiceLifecycle

/// A Hummingbird application running in its own task: started once it listens, stopped
/// gracefully (it stops accepting, finishes the requests in flight, then returns).
struct RunningApplication: Sendable {
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    /// Builds the application with a callback for its bound port, runs it, and returns once it
    /// listens; throws naming `name` and `address` when it cannot.
    static func start<App: ApplicationProtocol>(
        name: String, at address: Address, logger: Logger, build: (@escaping @Sendable (Int) async -> Void) -> App
    ) async throws -> RunningApplication {
        let (bound, boundContinuation) = AsyncThrowingStream<Int, any Error>.makeStream()
        let app = build { port in boundContinuation.yield(port) }
        // A service group gives the application a graceful shutdown; no signal handling here,
        // the command owns the signals and calls `stop`.
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            do {
                try await group.run()
                boundContinuation.finish()
            } catch {
                boundContinuation.finish(throwing: error)
            }
        }
        do {
            var ports = bound.makeAsyncIterator()
            guard let port = try await ports.next() else { throw SettingError("\(name) stopped before listening") }
            return RunningApplication(port: port, group: group, task: task)
        } catch {
            task.cancel()
            throw SettingError("\(name) cannot listen on \(address): \(error)")
        }
    }

    /// Stops accepting and lets the requests in flight finish for up to `grace`; a request
    /// still open then (an event stream, say) is cancelled.
    func stop(grace: Duration = .seconds(10)) async {
        await group.triggerGracefulShutdown()
        let task = self.task
        let deadline = Task {
            try? await Task.sleep(for: grace)
            task.cancel()
        }
        _ = await task.value
        deadline.cancel()
    }
}
