/// A one-way sequence of signals between two tasks of one call (e.g. "a reply arrived, send the
/// next request"). Signals are buffered, so none is lost when the waiter is late.
struct Rendezvous: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self)
    }

    func signal() {
        continuation.yield()
    }

    /// No more signals will come: a waiter throws instead of waiting forever.
    func finish() {
        continuation.finish()
    }

    /// Waits for the next signal; throws if the stream ended or the task was cancelled first.
    func wait() async throws {
        var iterator = stream.makeAsyncIterator()
        guard await iterator.next() != nil else {
            try Task.checkCancellation()
            throw InteropFailure("the other side of the call went away")
        }
    }
}
