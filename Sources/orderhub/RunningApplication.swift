import Hummingbird

/// A Hummingbird application running in its own task: started once it listens, stopped by
/// cancelling the task.
struct RunningApplication: Sendable {
    let port: Int
    private let task: Task<Void, Never>

    /// Builds the application with a callback for its bound port, runs it, and returns once it
    /// listens; throws naming `name` and `address` when it cannot.
    static func start<App: ApplicationProtocol>(
        name: String, at address: Address, build: (@escaping @Sendable (Int) async -> Void) -> App
    ) async throws -> RunningApplication {
        let (bound, boundContinuation) = AsyncThrowingStream<Int, any Error>.makeStream()
        let app = build { port in boundContinuation.yield(port) }
        let task = Task {
            do {
                try await app.run()
                boundContinuation.finish()
            } catch {
                boundContinuation.finish(throwing: error)
            }
        }
        do {
            var ports = bound.makeAsyncIterator()
            guard let port = try await ports.next() else { throw SettingError("\(name) stopped before listening") }
            return RunningApplication(port: port, task: task)
        } catch {
            task.cancel()
            throw SettingError("\(name) cannot listen on \(address): \(error)")
        }
    }

    /// Stops accepting and ends the application.
    func stop() async {
        task.cancel()
        _ = await task.value
    }
}
