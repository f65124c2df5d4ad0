import Synchronization

/// Fans committed order changes out to the watchers of each order, inside one process. A
/// store feeds it after each commit (the PostgreSQL store will feed it from LISTEN/NOTIFY).
///
/// A subscription buffers without bound; an order has at most a handful of changes.
public final class OrderChangeBroadcaster: Sendable {
    private struct State {
        var nextID = 0
        var watchers: [String: [Int: AsyncStream<OrderChange>.Continuation]] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// A stream of the order's changes published after this call returns. Dropping or
    /// cancelling the stream's iteration unsubscribes.
    public func subscribe(to orderID: String) -> AsyncStream<OrderChange> {
        let (stream, continuation) = AsyncStream<OrderChange>.makeStream()
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            state.watchers[orderID, default: [:]][state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(orderID: orderID, id: id) }
        return stream
    }

    /// Delivers a change to the order's current watchers.
    public func publish(_ change: OrderChange) {
        let continuations = state.withLock { state in state.watchers[change.orderID].map { Array($0.values) } ?? [] }
        for continuation in continuations { continuation.yield(change) }
    }

    /// How many watchers are subscribed to the order (for tests and metrics).
    public func watcherCount(of orderID: String) -> Int {
        state.withLock { $0.watchers[orderID]?.count ?? 0 }
    }

    private func unsubscribe(orderID: String, id: Int) {
        state.withLock { state in
            state.watchers[orderID]?[id] = nil
            if state.watchers[orderID]?.isEmpty == true { state.watchers[orderID] = nil }
        }
    }
}
