import NIOCore
import NIOPosix
import NIOSSL
import RPC
import Synchronization
import TLSSupport

/// A gRPC server over HTTP/2, cleartext (prior knowledge) or TLS with ALPN `h2` (`Config.tls`),
/// on nghttp2 and SwiftNIO.
///
/// ```swift
/// var router = RPCRouter()
/// router.register(OrdersServiceImpl())
/// let server = RPCServer(router: router, config: .init(host: "127.0.0.1", port: 50051))
/// let addresses = try await server.start()
/// // … later, e.g. on SIGTERM:
/// await server.shutdown(gracePeriod: .seconds(30))
/// ```
public final class RPCServer: Sendable {
    /// The settings the server was made with.
    public let config: Config
    private let router: RPCRouter
    private let group: any EventLoopGroup
    private let registry: ConnectionRegistry
    private let state = Mutex(State())

    private struct State {
        var listeners: [any Channel] = []
        var started = false
        var finished = false
        var shuttingDown = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// - Parameter group: the event loops; by default NIO's shared singleton group.
    public init(router: RPCRouter, config: Config = .defaults, group: (any EventLoopGroup)? = nil) {
        self.router = config.admission.map { router.admitting(through: AdmissionLimiter($0)) } ?? router
        self.config = config
        self.group = group ?? MultiThreadedEventLoopGroup.singleton
        self.registry = ConnectionRegistry(
            limit: config.maxConnections,
            evictionThreshold: Int((Double(config.maxConnections) * config.idleEvictionFraction).rounded(.up))
        )
    }

    /// Binds and starts accepting; returns the bound addresses (the port when `config.port` is 0).
    @discardableResult
    public func start() async throws -> [SocketAddress] {
        let alreadyStarted = state.withLock { state in
            defer { state.started = true }
            return state.started
        }
        guard !alreadyStarted else { return state.withLock { $0.listeners.compactMap(\.localAddress) } }
        let router = self.router
        let config = self.config
        let registry = self.registry
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let activity = ConnectionActivity()
                let admission = registry.add(channel, activity: activity)
                // Room made by evicting the longest-idle connection (GOAWAY, then close).
                admission.evict?.pipeline.fireUserInboundEventTriggered(ServerIdleEvictionEvent())
                guard admission.accepted else {
                    // Over the connection limit with nothing idle (or shutting down): refuse.
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in registry.remove(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    if let tls = config.tls {
                        // nghttp2 reads what TLS decrypted; the guard refuses a handshake without h2.
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.current))
                        try channel.pipeline.syncOperations.addHandler(
                            TLSHandshakeGuard(requiredProtocols: ["h2"], timeout: config.prefaceTimeout, logger: config.logger))
                    }
                    let connection = ServerConnectionHandler(router: router, config: config, activity: activity)
                    if let responder = config.http1Responder, config.tls == nil {
                        // HTTP/2 joins the pipeline once the first bytes show its preface.
                        try channel.pipeline.syncOperations.addHandler(HTTP1Sniffer(responder: responder, timeout: config.prefaceTimeout, http2: connection))
                    } else {
                        try channel.pipeline.syncOperations.addHandler(connection)
                    }
                }
            }
            .bind(host: config.host, port: config.port)
            .get()
        state.withLock { $0.listeners.append(listener) }
        return [listener.localAddress].compactMap { $0 }
    }

    /// The bound port (after `start()`).
    public var port: Int? {
        state.withLock { $0.listeners.first?.localAddress?.port }
    }

    /// Starts (if needed) and returns once the server has shut down.
    public func run() async throws {
        try await start()
        await waitUntilFinished()
    }

    private func waitUntilFinished() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.finished { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Stops accepting, sends GOAWAY on every connection, lets open calls finish within
    /// `gracePeriod`, then closes what is left. Returns when every connection is closed.
    public func shutdown(gracePeriod: Duration = .seconds(30)) async {
        let first = state.withLock { state in
            defer { state.shuttingDown = true }
            return !state.shuttingDown
        }
        if first {
            let listeners = state.withLock { $0.listeners }
            for listener in listeners { try? await listener.close().get() }
            let connections = registry.closeAndList()
            for channel in connections {
                channel.pipeline.fireUserInboundEventTriggered(ServerDrainEvent(gracePeriod: gracePeriod))
            }
            for channel in connections { try? await channel.closeFuture.get() }
            let waiters = state.withLock { state in
                state.finished = true
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        } else {
            await waitUntilFinished()
        }
    }

    /// Open connections right now.
    public var connectionCount: Int { registry.count }
}
