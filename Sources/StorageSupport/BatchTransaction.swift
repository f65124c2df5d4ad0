/// What a database backend gives a `GroupCommitWriter`: a way to run a batch of write requests
/// in one transaction. Everything else (queueing, forming batches, retrying a failed batch one
/// request at a time, handing each caller its answer, shutdown) is the writer's.
public protocol BatchTransaction: Sendable {
    associatedtype Request: BatchRequest

    /// Runs `requests` in one transaction and, once it has committed, returns one `Delivery`
    /// per request: its answer, bound to its caller (`Reply.answer`).
    ///
    /// A request refused on its own (a domain rule, e.g. a reused idempotency key) leaves no
    /// writes behind and is answered with its failure; the others still commit. Throwing means
    /// the transaction as a whole failed and nothing of it was committed.
    func commit(_ requests: [Request]) async throws -> [Delivery]
}

/// A queued write: what to write and the `Reply` its caller waits on. Usually an enum with a
/// case per kind of write, each carrying a reply typed by that kind's answer.
public protocol BatchRequest: Sendable {
    /// Fails the caller: its transaction failed, or the writer was closed.
    func fail(_ error: any Error)
}

/// A request of a writer whose requests are all of one kind: the input and its caller.
public struct Call<Input: Sendable, Answer: Sendable>: BatchRequest {
    /// What to write.
    public let input: Input
    /// Who waits for the answer.
    public let reply: Reply<Answer>

    /// See `BatchRequest`.
    public func fail(_ error: any Error) {
        reply.fail(error)
    }
}

/// What a batch's statements produced, before COMMIT: an answer for every request, and what
/// to do once the transaction has committed, before any caller resumes (publish change
/// notifications, fill caches).
public struct BatchOutcome: Sendable {
    /// One per request.
    public var deliveries: [Delivery]
    /// Runs after COMMIT, before the deliveries.
    public var afterCommit: @Sendable () -> Void

    public init(deliveries: [Delivery] = [], afterCommit: @escaping @Sendable () -> Void = {}) {
        self.deliveries = deliveries
        self.afterCommit = afterCommit
    }
}
