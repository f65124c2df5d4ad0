import NIOCore
import Synchronization

/// A live client connection as the transport holds it: the channel and a loop-bound route to
/// its handler.
struct ClientConnection: Sendable {
    let channel: any Channel
    let handler: LoopBound<ClientConnectionHandler>
    let id: Int
    let connectedAt: ContinuousClock.Instant
    /// Whether it ended gracefully, once it has ended.
    let ending: ConnectionEnding

    var eventLoop: any EventLoop { channel.eventLoop }
}

/// How a client connection stopped taking calls, written by its handler on the event loop and
/// read by its subchannel from any thread: whether a working HTTP/2 server ended it with a
/// graceful GOAWAY. Needed when the end comes before the subchannel has recorded the
/// connection (a short maximum age on a busy machine), when only the channel is left to look at.
final class ConnectionEnding: Sendable {
    private let graceful = Atomic<Bool>(false)

    /// The server sent GOAWAY(NO_ERROR) after its SETTINGS.
    func markGraceful() {
        graceful.store(true, ordering: .releasing)
    }

    /// Whether `markGraceful` was called.
    var isGraceful: Bool {
        graceful.load(ordering: .acquiring)
    }
}

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
