/// What a database backend gives a `GroupCommitWriter`: a way to run a batch of write requests
/// in one transaction. Everything else (queueing, forming batches, retrying a failed batch one
/// request at a time, answering each caller, shutdown) is the writer's.
public protocol BatchTransaction: Sendable {
    associatedtype Request: Sendable
    associatedtype Response: Sendable

    /// Runs `requests` in one transaction and, once it has committed, returns one result per
    /// request, in order.
    ///
    /// A request refused on its own (a domain rule, e.g. a reused idempotency key) leaves no
    /// writes behind and comes back as `.failure`; the others still commit. Throwing means
    /// the transaction as a whole failed and nothing of it was committed.
    func commit(_ requests: [Request]) async throws -> [Result<Response, any Error>]
}
