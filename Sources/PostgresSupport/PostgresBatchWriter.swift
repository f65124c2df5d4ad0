import Logging
import PostgresNIO
import SQLiteSupport
import Synchronization

/// Group commit on PostgreSQL: queued write requests are committed together, many to a
/// transaction, by up to `concurrentBatches` transactions at once on pooled connections.
/// Each caller resumes only after its transaction has committed.
///
/// As with SQLite's `GroupCommitWriter` there is no timer: while batches commit, new requests
/// queue up and form the next ones, so batches grow with the load and a lone request is
/// written at once. Unlike SQLite, PostgreSQL commits several transactions in parallel (and
/// shares WAL flushes between them), so more than one batch may be in flight.
public final class PostgresBatchWriter<Executor: PostgresBatchExecutor>: Sendable {
    /// Tuning knobs.
    public struct Config: Sendable {
        /// Most requests in one transaction.
        public var maxBatchSize: Int
        /// Most transactions in flight at once.
        public var concurrentBatches: Int

        public init(maxBatchSize: Int = 256, concurrentBatches: Int = 2) {
            self.maxBatchSize = maxBatchSize
            self.concurrentBatches = concurrentBatches
        }

        /// The defaults.
        public static var defaults: Config { Config() }
    }

    private struct Pending {
        var request: Executor.Request
        var continuation: CheckedContinuation<Executor.Response, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var drains = 0
        var closed = false
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let storage: PostgresStorage
    private let executor: Executor
    private let config: Config
    private let logger: Logger

    /// Writes through pooled connections of `storage`.
    public init(storage: PostgresStorage, executor: Executor, config: Config = .defaults, logger: Logger) {
        self.storage = storage
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
                guard state.drains < max(1, config.concurrentBatches) else { return false }
                state.drains += 1
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
                if state.drains > 0 { state.idleWaiters.append(continuation) }
                return state.drains == 0
            }
            if idle { continuation.resume() }
        }
    }

    private func drain() async {
        while true {
            let batch: [Pending] = state.withLock { state in
                let count = min(config.maxBatchSize, state.queue.count)
                defer { state.queue.removeFirst(count) }
                return Array(state.queue.prefix(count))
            }
            if batch.isEmpty {
                let waiters: [CheckedContinuation<Void, Never>]? = state.withLock { state in
                    // A request may have arrived between taking the empty batch and here.
                    guard state.queue.isEmpty else { return nil }
                    state.drains -= 1
                    guard state.drains == 0 else { return [] }
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
            logger.warning("batch of \(batch.count) writes failed; writing each alone", metadata: ["error": "\(String(reflecting: error))"])
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
        let results = try await storage.transaction { connection in
            let results = try await executor.execute(requests, on: connection, logger: logger)
            precondition(results.count == requests.count, "a batch executor must return one result per request")
            return results
        }
        executor.didCommit(results.compactMap { try? $0.get() })
        return results
    }
}
