import Synchronization

/// One live order feed stream's buffer: at most `bufferSize` events wait for the consumer.
/// When an event does not fit, the subscription is marked overflowed and finished, and its
/// consumer ends with RESOURCE_EXHAUSTED (it resumes from its cursor, reading the database).
final class FeedSubscription: Sendable {
    let filter: OrderFeedFilter
    let events: AsyncStream<OrderFeedEvent>
    private let continuation: AsyncStream<OrderFeedEvent>.Continuation
    private let overflow = Atomic<Bool>(false)

    init(filter: OrderFeedFilter, bufferSize: Int) {
        self.filter = filter
        let (events, continuation) = AsyncStream<OrderFeedEvent>.makeStream(bufferingPolicy: .bufferingOldest(bufferSize))
        self.events = events
        self.continuation = continuation
    }

    /// Whether the consumer fell behind by more than the buffer.
    var overflowed: Bool { overflow.load(ordering: .acquiring) }

    /// Buffers the events the filter admits; false (and finished) when one did not fit or the
    /// consumer has gone.
    func offer(_ batch: [OrderFeedEvent]) -> Bool {
        for event in batch where filter.admits(event.order) {
            let result = continuation.yield(event)
            if case .enqueued = result { continue }
            if case .dropped = result {
                overflow.store(true, ordering: .releasing)
                continuation.finish()
            }
            return false
        }
        return true
    }

    /// Ends the stream after what is buffered.
    func finish() {
        continuation.finish()
    }
}
