import Logging
import Synchronization

/// Group commit: queued write requests are committed together, many to a transaction, by up
/// to `concurrentBatches` transactions at once. Each caller resumes only after its transaction
/// has committed. The database side is a `BatchTransaction` (SQLite: one `BEGIN IMMEDIATE …
/// COMMIT` on the writer connection, so one fsync makes a whole batch durable; PostgreSQL: a
/// transaction on a pooled connection, several in parallel).
///
/// There is no timer: while a batch commits, new requests queue up and form the next batch,
/// so batches grow with the load and a lone request is written at once. Requests are taken
/// in arrival order; with one batch at a time they also commit in that order.
///
/// When a batch's transaction fails as a whole, each of its requests is written again in a
/// transaction of its own, so one bad request cannot fail the rest of its batch.
///
/// Each request carries its caller's `Reply`, typed by the answer of its kind: `submit`'s
/// result type is the reply's, so no caller unpacks an answer meant for another kind.
public final class GroupCommitWriter<Transaction: BatchTransaction>: Sendable {
    /// Tuning knobs.
    public struct Config: Sendable {
        /// Most requests in one transaction.
        public var maxBatchSize: Int
        /// Most transactions in flight at once (1 for a single connection such as SQLite's
        /// writer).
        public var concurrentBatches: Int

        /// Tuning knobs; the defaults suit one SQLite writer connection.
        public init(maxBatchSize: Int = 256, concurrentBatches: Int = 1) {
            self.maxBatchSize = maxBatchSize
            self.concurrentBatches = concurrentBatches
        }

        /// The defaults.
        public static var defaults: Config { Config() }
    }

    private struct State {
        var queue: [Transaction.Request] = []
        var drains = 0
        var closed = false
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let backend: Transaction
    private let config: Config
    private let logger: Logger

    /// Writes through `transaction`, which should be the only writer of what it writes.
    public init(transaction: Transaction, config: Config = .defaults, logger: Logger) {
        self.backend = transaction
        self.config = config
        self.logger = logger
    }

    /// Queues the request `makeRequest` builds around its caller's reply, and returns the
    /// answer once its transaction has committed. Throws the request's own failure, a storage
    /// error, or `StorageError.closed`.
    ///
    /// ```swift
    /// let result: CreateResult = try await writer.submit { .create(order, $0) }
    /// ```
    public func submit<Answer: Sendable>(_ makeRequest: (Reply<Answer>) -> Transaction.Request) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            let request = makeRequest(Reply(continuation))
            let startDrain: Bool? = state.withLock { state in
                if state.closed { return nil }
                state.queue.append(request)
                guard state.drains < max(1, config.concurrentBatches) else { return false }
                state.drains += 1
                return true
            }
            switch startDrain {
            case nil: request.fail(StorageError.closed)
            case true?: Task { await self.drain() }
            case false?: break
            }
        }
    }

    /// Queues `input` for a writer of one kind of request and returns its answer, as
    /// `submit(_:)` does.
    public func submit<Input: Sendable, Answer: Sendable>(_ input: Input) async throws -> Answer where Transaction.Request == Call<Input, Answer> {
        try await submit { Call(input: input, reply: $0) }
    }

    /// Requests waiting for a batch (not counting those in a transaction now).
    public var queuedCount: Int {
        state.withLock { $0.queue.count }
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
            let batch: [Transaction.Request] = state.withLock { state in
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

    private func write(_ batch: [Transaction.Request]) async {
        do {
            try await commit(batch)
        } catch {
            guard batch.count > 1 else {
                batch[0].fail(error)
                return
            }
            logger.warning("batch of \(batch.count) writes failed; writing each alone", metadata: ["error": "\(String(reflecting: error))"])
            for request in batch {
                do {
                    try await commit([request])
                } catch {
                    request.fail(error)
                }
            }
        }
    }

    /// Commits `requests` and hands every caller its answer.
    private func commit(_ requests: [Transaction.Request]) async throws {
        let deliveries = try await backend.commit(requests)
        precondition(deliveries.count == requests.count, "a batch transaction must answer every request once")
        for delivery in deliveries { delivery.resume() }
    }
}
