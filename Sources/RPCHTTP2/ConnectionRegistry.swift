import NIOCore
import Synchronization

/// The open connections of one server: enforces the per-server connection limit and finds
/// every connection when the server drains.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var accepting = true
    }

    private let state = Mutex(State())
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Registers a new connection; false when the server is at its limit or shutting down.
    func add(_ channel: any Channel) -> Bool {
        state.withLock { state in
            guard state.accepting, state.channels.count < limit else { return false }
            state.channels[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    func remove(_ channel: any Channel) {
        _ = state.withLock { $0.channels.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Stops accepting and returns every open connection.
    func closeAndList() -> [any Channel] {
        state.withLock { state in
            state.accepting = false
            return Array(state.channels.values)
        }
    }

    var count: Int { state.withLock { $0.channels.count } }
}
