import NIOCore
import Synchronization

/// What the connection registry needs to know about one server connection without hopping to
/// its event loop: since when it has been idle (no open stream), and whether it was already
/// asked to go. The connection's handler writes it; the registry reads it under its lock when
/// a new connection needs room.
final class ConnectionActivity: Sendable {
    /// `NIODeadline.uptimeNanoseconds` when the connection last became idle; 0 while busy.
    private let idleSinceNanos = Atomic<UInt64>(0)
    /// Set once the registry chose this connection to make room.
    private let evicted = Atomic(false)

    /// Marks the connection idle from now.
    func markIdle() {
        // Never 0, which means busy.
        idleSinceNanos.store(max(1, NIODeadline.now().uptimeNanoseconds), ordering: .relaxed)
    }

    /// Marks the connection busy (a stream is open).
    func markBusy() {
        idleSinceNanos.store(0, ordering: .relaxed)
    }

    /// When the connection became idle, or nil while it is busy.
    var idleSince: UInt64? {
        let value = idleSinceNanos.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// Claims the connection for eviction; false when someone already did.
    func claimForEviction() -> Bool {
        !evicted.exchange(true, ordering: .relaxed)
    }

    var isEvicted: Bool { evicted.load(ordering: .relaxed) }
}

/// Tells a server connection that the registry evicted it to make room for a new one: GOAWAY,
/// then close; a call that started meanwhile still finishes within the drain grace period.
struct ServerIdleEvictionEvent: Sendable {}
