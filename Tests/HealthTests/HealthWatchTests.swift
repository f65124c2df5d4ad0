import Contracts
import RPC
import Testing

@testable import Health

/// Runs `watch` in a task, collecting what it writes; the caller cancels the task to end it.
struct Watch {
    let task: Task<Void, any Error>
    private var iterator: AsyncStream<HealthCheckResponse.ServingStatus>.Iterator

    init(_ health: HealthStatusService, service: String) {
        let (sent, sink) = AsyncStream.makeStream(of: HealthCheckResponse.ServingStatus.self)
        let context = ServerContext(path: HealthMethod.watch.path)
        task = Task {
            defer { sink.finish() }
            try await health.watch(
                HealthCheckRequest(service: service),
                responses: RPCWriter { sink.yield($0.status) }, context: context)
        }
        iterator = sent.makeAsyncIterator()
    }

    /// The next status the watch sent; nil once it ended.
    mutating func next() async -> HealthCheckResponse.ServingStatus? {
        await iterator.next()
    }
}

@Suite("HealthStatusService: Watch")
struct HealthWatchTests {
    @Test("sends the current status at once, then each change, without repeats")
    func currentThenChanges() async throws {
        let health = HealthStatusService()
        var watch = Watch(health, service: "")
        #expect(await watch.next() == .serving)
        #expect(health.board.withLock { $0.watcherCount(of: "") } == 1)  // registered before the first status was sent
        health.setStatus(.serving, forService: "")  // unchanged: not sent
        health.setStatus(.notServing, forService: "")
        #expect(await watch.next() == .notServing)
        health.setStatus(.serving, forService: "")
        #expect(await watch.next() == .serving)
        watch.task.cancel()
        #expect(await watch.next() == nil)
    }

    @Test("an unknown name sends SERVICE_UNKNOWN and keeps watching until it becomes known")
    func unknownKeepsWatching() async throws {
        let health = HealthStatusService()
        var watch = Watch(health, service: "orderhub.v1.Orders")
        #expect(await watch.next() == .serviceUnknown)
        #expect(health.board.withLock { $0.watcherCount(of: "orderhub.v1.Orders") } == 1)  // registered before the first status was sent
        health.setStatus(.serving, forService: "orderhub.v1.Orders")
        #expect(await watch.next() == .serving)
        health.clearStatus(forService: "orderhub.v1.Orders")
        #expect(await watch.next() == .serviceUnknown)
        watch.task.cancel()
        #expect(await watch.next() == nil)
    }

    @Test("a cancelled watch ends and leaves no watcher behind")
    func cancelRemovesWatcher() async throws {
        let health = HealthStatusService()
        var watch = Watch(health, service: "x")
        #expect(await watch.next() == .serviceUnknown)
        watch.task.cancel()
        #expect(await watch.next() == nil)
        _ = await watch.task.result
        #expect(health.board.withLock { $0.watcherCount(of: "x") } == 0)
    }

    @Test("watchers of other services see nothing")
    func otherServicesUntouched() async throws {
        let health = HealthStatusService(statuses: ["a": .serving, "b": .serving])
        var watchA = Watch(health, service: "a")
        #expect(await watchA.next() == .serving)
        #expect(health.board.withLock { $0.watcherCount(of: "a") } == 1)  // registered before the first status was sent
        health.setStatus(.notServing, forService: "b")
        health.setStatus(.notServing, forService: "a")
        #expect(await watchA.next() == .notServing)
        watchA.task.cancel()
    }

    @Test("enterShutdown tells every watcher NOT_SERVING")
    func shutdownNotifies() async throws {
        let health = HealthStatusService(statuses: ["": .serving, "a": .serving])
        var watchAll = Watch(health, service: "")
        var watchA = Watch(health, service: "a")
        #expect(await watchAll.next() == .serving)
        #expect(await watchA.next() == .serving)
        #expect(health.board.withLock { $0.watcherCount(of: "") + $0.watcherCount(of: "a") } == 2)  // registered before the first status was sent
        health.enterShutdown()
        #expect(await watchAll.next() == .notServing)
        #expect(await watchA.next() == .notServing)
        watchAll.task.cancel()
        watchA.task.cancel()
    }
}
