import Synchronization

/// The WatchOrder streams in progress, so a shutdown can end them at once instead of waiting
/// out the drain period (a watch on an order that stays put never ends by itself).
final class WatchRegistry: Sendable {
    private struct State {
        var nextID = 0
        var stops: [Int: @Sendable () -> Void] = [:]
        var closed = false
    }

    private let state = Mutex(State())

    /// Registers a watch's stop action; runs it at once when shutting down already.
    func add(_ stop: @escaping @Sendable () -> Void) -> Int {
        let id: Int? = state.withLock { state in
            guard !state.closed else { return nil }
            defer { state.nextID += 1 }
            state.stops[state.nextID] = stop
            return state.nextID
        }
        guard let id else {
            stop()
            return -1
        }
        return id
    }

    func remove(_ id: Int) {
        _ = state.withLock { $0.stops.removeValue(forKey: id) }
    }

    /// Stops every watch, now and from now on.
    func close() {
        let stops = state.withLock { state in
            state.closed = true
            defer { state.stops = [:] }
            return Array(state.stops.values)
        }
        for stop in stops { stop() }
    }

    /// Streams registered now.
    var count: Int { state.withLock { $0.stops.count } }

    var isClosed: Bool { state.withLock { $0.closed } }
}
