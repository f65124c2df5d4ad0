import Synchronization

/// Fans committed order changes out to the watchers of each order, inside one process. A
/// store feeds it after each commit; the PostgreSQL store also with the changes other
/// replicas commit (`OrderEventFeed`).
///
/// Per watched order it remembers the version it published last, so a feed that learns of
/// changes from several places (its own commits, NOTIFY, a reconnect) publishes each version
/// once and never an older one after a newer one. The memory goes with the last watcher.
///
/// A subscription buffers without bound; an order has at most a handful of changes.
public final class OrderChangeBroadcaster: Sendable {
    private struct Watched {
        var watchers: [Int: AsyncStream<OrderChange>.Continuation] = [:]
        /// The version published last since the first watcher subscribed, if any.
        var lastVersion: Int64?
    }

    private struct State {
        var nextID = 0
        var orders: [String: Watched] = [:]
    }

    private let state = Mutex(State())

    /// An empty broadcaster.
    public init() {}

    /// A stream of the order's changes published after this call returns. Dropping or
    /// cancelling the stream's iteration unsubscribes.
    public func subscribe(to orderID: String) -> AsyncStream<OrderChange> {
        let (stream, continuation) = AsyncStream<OrderChange>.makeStream()
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            state.orders[orderID, default: Watched()].watchers[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(orderID: orderID, id: id) }
        return stream
    }

    /// Delivers a change to the order's current watchers. For a feed whose changes arrive in
    /// commit order (one writer, as on SQLite).
    public func publish(_ change: OrderChange) {
        state.withLock { state in
            guard var watched = state.orders[change.orderID] else { return }
            watched.lastVersion = max(watched.lastVersion ?? 0, change.version)
            state.orders[change.orderID] = watched
            for continuation in watched.watchers.values { continuation.yield(change) }
        }
    }

    /// Delivers, in order, the changes of one order newer than the last one published for it
    /// (all of them when none was), skipping the rest. `changes` must be sorted by version.
    public func publishNewer(_ changes: [OrderChange]) {
        guard let orderID = changes.first?.orderID else { return }
        state.withLock { state in
            guard var watched = state.orders[orderID] else { return }
            // Yielding under the lock keeps two publishers of one order from interleaving.
            for change in changes where change.version > watched.lastVersion ?? 0 {
                watched.lastVersion = change.version
                for continuation in watched.watchers.values { continuation.yield(change) }
            }
            state.orders[orderID] = watched
        }
    }

    /// Delivers `change` if it is the one right after the last published (nothing to do if it
    /// is not newer). Returns false when the order is watched and the versions between are
    /// unknown here (or nothing was published yet): the caller reads them from the database.
    public func publishIfNext(_ change: OrderChange) -> Bool {
        state.withLock { state in
            guard var watched = state.orders[change.orderID] else { return true }
            guard let last = watched.lastVersion else { return false }
            if change.version <= last { return true }
            guard change.version == last + 1 else { return false }
            watched.lastVersion = change.version
            state.orders[change.orderID] = watched
            for continuation in watched.watchers.values { continuation.yield(change) }
            return true
        }
    }

    /// Where a feed catching up on a watched order starts reading: after the version
    /// published last (0 when none was yet). Nil when nobody watches the order.
    public func catchUpPoint(of orderID: String) -> Int64? {
        state.withLock { state in state.orders[orderID].map { $0.lastVersion ?? 0 } }
    }

    /// How many watchers are subscribed to the order (for tests and metrics).
    public func watcherCount(of orderID: String) -> Int {
        state.withLock { $0.orders[orderID]?.watchers.count ?? 0 }
    }

    /// The orders that have at least one watcher now.
    public var watchedOrderIDs: [String] {
        state.withLock { Array($0.orders.keys) }
    }

    private func unsubscribe(orderID: String, id: Int) {
        state.withLock { state in
            state.orders[orderID]?.watchers[id] = nil
            if state.orders[orderID]?.watchers.isEmpty == true { state.orders[orderID] = nil }
        }
    }
}
