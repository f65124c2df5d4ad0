import NIOCore
import NIOPosix
import Synchronization

/// A TCP relay in front of a server that can freeze its connections as a silent network
/// partition does: bytes either way are dropped, no FIN, no RST, the sockets stay open.
/// Connections made after a freeze pass normally, so a client that gives up on a frozen
/// connection and reconnects reaches the server again.
final class FreezableRelay: Sendable {
    private let listener: any Channel
    private let state = Mutex((opened: 0, frozenUpTo: 0))

    var port: Int { listener.localAddress!.port! }

    /// Connections opened so far.
    var connections: Int { state.withLock { $0.opened } }

    private init(listener: any Channel) {
        self.listener = listener
    }

    /// Runs `body` with a relay to `127.0.0.1:targetPort`; always closes it.
    static func with<T>(targetPort: Int, _ body: (FreezableRelay) async throws -> T) async throws -> T {
        let box = Mutex<FreezableRelay?>(nil)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { inbound in
                guard let relay = box.withLock({ $0 }) else { return inbound.close() }
                return relay.join(inbound, targetPort: targetPort)
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let relay = FreezableRelay(listener: listener)
        box.withLock { $0 = relay }
        defer { listener.close(promise: nil) }
        return try await body(relay)
    }

    /// Freezes every connection open now.
    func freeze() {
        state.withLock { $0.frozenUpTo = $0.opened }
    }

    private func isFrozen(_ number: Int) -> Bool {
        state.withLock { number <= $0.frozenUpTo }
    }

    private func join(_ inbound: any Channel, targetPort: Int) -> EventLoopFuture<Void> {
        let number = state.withLock { state in
            state.opened += 1
            return state.opened
        }
        let frozen: @Sendable () -> Bool = { [weak self] in self?.isFrozen(number) ?? true }
        return ClientBootstrap(group: inbound.eventLoop)
            .channelInitializer { outbound in
                outbound.eventLoop.makeCompletedFuture {
                    try outbound.pipeline.syncOperations.addHandler(Forward(to: inbound, frozen: frozen))
                }
            }
            .connect(host: "127.0.0.1", port: targetPort)
            .flatMapThrowing { outbound in
                // The accepted channel registers (and reads) only once this initializer is done.
                try inbound.pipeline.syncOperations.addHandler(Forward(to: outbound, frozen: frozen))
            }
    }

    /// Passes what one side reads to the other, unless frozen; a close closes both.
    private final class Forward: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let partner: any Channel
        let frozen: @Sendable () -> Bool

        init(to partner: any Channel, frozen: @escaping @Sendable () -> Bool) {
            self.partner = partner
            self.frozen = frozen
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !frozen() else { return }
            partner.writeAndFlush(unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            partner.close(promise: nil)
            context.fireChannelInactive()
        }
    }
}
