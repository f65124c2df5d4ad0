import Logging
import Synchronization

/// This process's tail of the order feed: one loop reads new feed entries from the store (woken
/// by `OrderStore.feedCommits`: local commits and, on PostgreSQL, every replica's NOTIFY; and
/// polling once a second in case a notification was lost) and hands them to the live streams.
///
/// Memory is bounded: each stream has a buffer of `bufferSize` events; a stream whose consumer
/// falls that far behind is cut (`FeedSubscription.overflowed`) and resumes from its cursor,
/// reading the gap from the database page by page. Events are shared between buffers.
///
/// `head` is the highest `seq` published: every entry up to it has been handed to every stream
/// subscribed at the time. A stream catches up from the database up to `head`, subscribes, and
/// reads the rest up to the `head` at subscription; after that everything arrives here.
public final class OrderFeed: Sendable {
    /// Tuning knobs.
    public struct Config: Sendable {
        /// Events a live stream may have waiting before it is ended with RESOURCE_EXHAUSTED.
        public var bufferSize: Int
        /// Feed entries read per query.
        public var pageSize: Int
        /// How often the tail looks even without a signal.
        public var pollInterval: Duration

        public init(bufferSize: Int = 1024, pageSize: Int = 256, pollInterval: Duration = .seconds(1)) {
            self.bufferSize = bufferSize
            self.pageSize = pageSize
            self.pollInterval = pollInterval
        }

        public static var defaults: Config { Config() }
    }

    private struct State {
        var head: Int64?
        var nextID = 0
        var subscriptions: [Int: FeedSubscription] = [:]
        var tail: Task<Void, Never>?
        var closed = false
    }

    let config: Config
    private let store: any OrderStore
    private let logger: Logger
    private let state = Mutex(State())

    init(store: any OrderStore, config: Config, logger: Logger) {
        self.store = store
        self.config = config
        self.logger = logger
    }

    /// The highest `seq` published, once known.
    var head: Int64? { state.withLock { $0.head } }

    /// Live streams now (for tests and metrics).
    public var subscriberCount: Int { state.withLock { $0.subscriptions.count } }

    /// Starts the tail at `lastSeq` (a value a feed read returned) unless it runs already.
    func start(at lastSeq: Int64) {
        state.withLock { state in
            guard state.tail == nil, !state.closed else { return }
            state.head = lastSeq
            state.tail = Task { await self.runTail() }
        }
    }

    /// A live stream of the events after the current head passing `filter`, and that head.
    /// Nil once closed (shutting down). The caller unsubscribes with the id when it is done.
    func subscribe(_ filter: OrderFeedFilter) -> (subscription: FeedSubscription, id: Int, head: Int64)? {
        state.withLock { state in
            guard !state.closed, let head = state.head else { return nil }
            let id = state.nextID
            state.nextID += 1
            let subscription = FeedSubscription(filter: filter, bufferSize: config.bufferSize)
            state.subscriptions[id] = subscription
            return (subscription, id, head)
        }
    }

    /// Drops a stream's buffer (its consumer is done).
    func unsubscribe(_ id: Int) {
        _ = state.withLock { $0.subscriptions.removeValue(forKey: id) }
    }

    /// Ends every stream (they end with UNAVAILABLE) and the tail; refuses new streams.
    func close() {
        let (subscriptions, tail) = state.withLock { state in
            state.closed = true
            defer { state.subscriptions = [:] }
            return (Array(state.subscriptions.values), state.tail)
        }
        tail?.cancel()
        for subscription in subscriptions { subscription.finish() }
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    private func runTail() async {
        while !Task.isCancelled {
            var full = false
            do {
                guard let head = self.head else { return }
                let page = try await store.feedPage(OrderFeedQuery(after: head, limit: config.pageSize))
                full = page.events.count == config.pageSize
                publish(page.events, head: full ? page.events.last!.seq : max(head, page.lastSeq))
            } catch {
                logger.warning("reading the order feed failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            if !full { await store.feedCommits.wait(timeout: config.pollInterval) }
        }
    }

    /// Hands `events` (all after the current head, in order) to every stream and moves the
    /// head. Under the lock, so a stream subscribes either before a batch or after it.
    private func publish(_ events: [OrderFeedEvent], head: Int64) {
        state.withLock { state in
            guard !state.closed else { return }
            for (id, subscription) in state.subscriptions where !subscription.offer(events) {
                state.subscriptions[id] = nil
            }
            state.head = max(state.head ?? head, head)
        }
    }
}
