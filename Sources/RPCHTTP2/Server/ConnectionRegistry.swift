import NIOCore
import Synchronization

/// The open connections of one server: enforces the per-server connection limit, makes room
/// for new connections by evicting idle ones, and finds every connection when the server
/// drains.
///
/// Idle connections are cheap for a client to open and hold (a thousand of them used to lock
/// everyone else out until the idle timeout). So once the open connections reach
/// `evictionThreshold`, each new connection evicts the connection that has been idle the
/// longest (GOAWAY, then close): a client can always connect while any connection is idle.
/// Only when every connection is busy is a new one refused at `limit`.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        let activity: ConnectionActivity
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var accepting = true
        /// Entries claimed for eviction that have not closed yet: they no longer count.
        var evicting = 0
    }

    private let state = Mutex(State())
    let limit: Int
    let evictionThreshold: Int

    /// - Parameter evictionThreshold: from this many open connections on, a new connection
    ///   evicts the longest-idle one (clamped to `1...limit`).
    init(limit: Int, evictionThreshold: Int? = nil) {
        self.limit = limit
        self.evictionThreshold = min(limit, max(1, evictionThreshold ?? limit))
    }

    /// What `add` decided.
    struct Admission {
        /// Whether the new connection may stay.
        var accepted: Bool
        /// A connection to ask to leave (`ServerIdleEvictionEvent`), outside the lock.
        var evict: (any Channel)?
    }

    /// Registers a new connection, evicting the longest-idle one when the server is at its
    /// eviction threshold. Refused when shutting down, or at the limit with nothing idle.
    func add(_ channel: any Channel, activity: ConnectionActivity) -> Admission {
        state.withLock { state in
            guard state.accepting else { return Admission(accepted: false, evict: nil) }
            var evict: (any Channel)?
            if state.entries.count - state.evicting >= evictionThreshold, let idlest = Self.longestIdle(state.entries) {
                state.evicting += 1
                evict = idlest.channel
            }
            guard state.entries.count - state.evicting < limit else { return Admission(accepted: false, evict: evict) }
            state.entries[ObjectIdentifier(channel)] = Entry(channel: channel, activity: activity)
            return Admission(accepted: true, evict: evict)
        }
    }

    func remove(_ channel: any Channel) {
        state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: ObjectIdentifier(channel)) else { return }
            if entry.activity.isEvicted { state.evicting -= 1 }
        }
    }

    /// Stops accepting and returns every open connection.
    func closeAndList() -> [any Channel] {
        state.withLock { state in
            state.accepting = false
            return state.entries.values.map(\.channel)
        }
    }

    var count: Int { state.withLock { $0.entries.count } }

    /// The idle connection with the oldest idle-since, claimed for eviction.
    private static func longestIdle(_ entries: [ObjectIdentifier: Entry]) -> Entry? {
        var best: (entry: Entry, since: UInt64)?
        for entry in entries.values where !entry.activity.isEvicted {
            guard let since = entry.activity.idleSince else { continue }
            if best == nil || since < best!.since { best = (entry, since) }
        }
        guard let best, best.entry.activity.claimForEviction() else { return nil }
        return best.entry
    }
}
