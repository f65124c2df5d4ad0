import Logging
import SQLiteNIO
import Synchronization

/// Serialises every write to one SQLite connection and commits whatever is queued together:
/// many requests share one `BEGIN IMMEDIATE … COMMIT`, so one fsync (`synchronous=FULL`)
/// makes all of them durable. Each caller resumes only after its transaction has committed.
///
/// There is no timer: while one batch commits, new requests queue up and form the next batch,
/// so batches grow with the load and a lone request is written at once.
public final class GroupCommitWriter<Executor: WriteBatchExecutor>: Sendable {
    /// Tuning knobs.
    public struct Config: Sendable {
        /// Most requests in one transaction.
        public var maxBatchSize: Int

        public init(maxBatchSize: Int = 256) {
            self.maxBatchSize = maxBatchSize
        }

        public static var defaults: Config { Config() }
    }

    private struct Pending {
        var request: Executor.Request
        var continuation: CheckedContinuation<Executor.Response, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var draining = false
        var closed = false
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let connection: SQLiteConnection
    private let executor: Executor
    private let config: Config
    private let logger: Logger

    /// Writes through `connection`, which nobody else may write to.
    public init(connection: SQLiteConnection, executor: Executor, config: Config = .defaults, logger: Logger) {
        self.connection = connection
        self.executor = executor
        self.config = config
        self.logger = logger
    }

    /// Queues one request and returns its result once its transaction has committed.
    /// Throws the request's own failure, a storage error, or `StorageError.closed`.
    public func submit(_ request: Executor.Request) async throws -> Executor.Response {
        try await withCheckedThrowingContinuation { continuation in
            let startDrain: Bool? = state.withLock { state in
                if state.closed { return nil }
                state.queue.append(Pending(request: request, continuation: continuation))
                if state.draining { return false }
                state.draining = true
                return true
            }
            switch startDrain {
            case nil: continuation.resume(throwing: StorageError.closed)
            case true?: Task { await self.drain() }
            case false?: break
            }
        }
    }

    /// Stops accepting requests and waits until every queued one has been written.
    public func close() async {
        await withCheckedContinuation { continuation in
            let idle = state.withLock { state in
                state.closed = true
                if state.draining { state.idleWaiters.append(continuation) }
                return !state.draining
            }
            if idle { continuation.resume() }
        }
    }

    private func drain() async {
        while true {
            let batch: [Pending] = state.withLock { state in
                guard !state.queue.isEmpty else { return [] }
                let count = min(config.maxBatchSize, state.queue.count)
                let batch = Array(state.queue.prefix(count))
                state.queue.removeFirst(count)
                return batch
            }
            if batch.isEmpty {
                let waiters: [CheckedContinuation<Void, Never>]? = state.withLock { state in
                    // A request may have arrived between taking the empty batch and here.
                    guard state.queue.isEmpty else { return nil }
                    state.draining = false
                    defer { state.idleWaiters = [] }
                    return state.idleWaiters
                }
                guard let waiters else { continue }
                for waiter in waiters { waiter.resume() }
                return
            }
            await write(batch)
        }
    }

    private func write(_ batch: [Pending]) async {
        do {
            let results = try await transaction(batch.map(\.request))
            for (pending, result) in zip(batch, results) { pending.continuation.resume(with: result) }
        } catch {
            guard batch.count > 1 else {
                batch[0].continuation.resume(throwing: error)
                return
            }
            logger.warning("batch of \(batch.count) writes failed; writing each alone", metadata: ["error": "\(error)"])
            for pending in batch {
                do {
                    let results = try await transaction([pending.request])
                    pending.continuation.resume(with: results[0])
                } catch {
                    pending.continuation.resume(throwing: error)
                }
            }
        }
    }

    private func transaction(_ requests: [Executor.Request]) async throws -> [Result<Executor.Response, any Error>] {
        try await connection.execute("BEGIN IMMEDIATE")
        let results: [Result<Executor.Response, any Error>]
        do {
            results = try await executor.execute(requests, on: connection)
            precondition(results.count == requests.count, "a batch executor must return one result per request")
            try await connection.execute("COMMIT")
        } catch {
            // After a failed COMMIT SQLite may already have rolled back; a second error is moot.
            try? await connection.execute("ROLLBACK")
            throw error
        }
        executor.didCommit(results.compactMap { try? $0.get() })
        return results
    }
}
