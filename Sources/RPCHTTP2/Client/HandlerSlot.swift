import NIOCore
import Synchronization

/// Hands what the channel initializer created (the connection handler and, over TLS, the
/// handshake's outcome) to the connecting task.
final class HandlerSlot: Sendable {
    private let value = Mutex<LoopBound<ClientConnectionHandler>?>(nil)
    private let handshakeValue = Mutex<EventLoopFuture<Void>?>(nil)

    func store(_ handler: LoopBound<ClientConnectionHandler>) {
        value.withLock { $0 = handler }
    }

    func load() -> LoopBound<ClientConnectionHandler>? {
        value.withLock { $0 }
    }

    /// The TLS handshake's outcome; nil on a cleartext connection.
    var handshake: EventLoopFuture<Void>? {
        get { handshakeValue.withLock { $0 } }
        set { handshakeValue.withLock { $0 = newValue } }
    }
}
