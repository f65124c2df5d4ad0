import NIOCore

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
