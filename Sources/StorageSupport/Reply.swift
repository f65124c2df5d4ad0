/// The caller of one queued write, waiting for its answer. The answer's type is the reply's,
/// so a request can only be answered with an answer of its own kind: the compiler, not a
/// check at run time, keeps a create from receiving a claim's answer.
public struct Reply<Answer: Sendable>: Sendable {
    private let continuation: CheckedContinuation<Answer, any Error>

    init(_ continuation: CheckedContinuation<Answer, any Error>) {
        self.continuation = continuation
    }

    /// `result` for this caller, handed over by the writer once the transaction committed.
    public func answer(_ result: Result<Answer, any Error>) -> Delivery {
        Delivery { continuation.resume(with: result) }
    }

    /// `value` for this caller, handed over once the transaction committed.
    public func answer(_ value: Answer) -> Delivery {
        answer(.success(value))
    }

    /// Fails the caller now (the request's transaction failed, or the writer is closed).
    public func fail(_ error: any Error) {
        continuation.resume(throwing: error)
    }
}

/// An answer bound to its caller (`Reply.answer`). The writer hands it over once the
/// transaction has committed; one that is dropped (its transaction failed) never is.
public struct Delivery: Sendable {
    private let handOver: @Sendable () -> Void

    init(_ handOver: @escaping @Sendable () -> Void) {
        self.handOver = handOver
    }

    /// Resumes the caller with its answer. Once per delivery.
    func resume() {
        handOver()
    }
}
