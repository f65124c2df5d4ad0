import NIOCore
import NIOPosix
import RPC
import RPCHTTP2

/// Runs `body` with a started server on a free loopback port; always shuts it down.
func withServer<T>(
    config: RPCServer.Config = .init(host: "127.0.0.1"),
    probe: CancellationProbe = CancellationProbe(),
    _ body: (RPCServer, Int) async throws -> T
) async throws -> T {
    let server = RPCServer(router: EchoMethods.router(probe: probe), config: config)
    try await server.start()
    let port = server.port!
    do {
        let result = try await body(server, port)
        await server.shutdown(gracePeriod: .seconds(1))
        return result
    } catch {
        await server.shutdown(gracePeriod: .seconds(1))
        throw error
    }
}

/// Runs `body` with a client for `port`; always closes it.
func withClient<T>(
    port: Int,
    config: (inout HTTP2ClientTransport.Config) -> Void = { _ in },
    _ body: (RPCClient, HTTP2ClientTransport) async throws -> T
) async throws -> T {
    var clientConfig = HTTP2ClientTransport.Config(host: "127.0.0.1", port: port, backoffInitial: .milliseconds(50))
    config(&clientConfig)
    let transport = HTTP2ClientTransport(config: clientConfig)
    do {
        let result = try await body(RPCClient(transport: transport), transport)
        await transport.close()
        return result
    } catch {
        await transport.close()
        throw error
    }
}

/// Runs `body` with a loopback port that nothing listens on and nothing else can take while
/// `body` runs; always releases it.
///
/// The port is held by the local end of a TCP connection bound to it with SO_REUSEADDR: a
/// connection attempt to it is refused (no listener), the kernel hands it to no other bind or
/// outgoing connection, and an `RPCServer` (which sets SO_REUSEADDR too) can still listen on
/// it, so a test can stop and restart a server on one port without another process slipping
/// in between.
func withHeldPort<T>(host: String = "127.0.0.1", _ body: (Int) async throws -> T) async throws -> T {
    let group = MultiThreadedEventLoopGroup.singleton
    let peer = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
    do {
        let holder = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(to: try SocketAddress(ipAddress: host, port: 0))
            .connect(to: peer.localAddress!)
            .get()
        do {
            let result = try await body(holder.localAddress!.port!)
            try? await holder.close().get()
            try? await peer.close().get()
            return result
        } catch {
            try? await holder.close().get()
            throw error
        }
    } catch {
        try? await peer.close().get()
        throw error
    }
}

/// Whether a TCP connection to the loopback port succeeds now.
func canConnect(port: Int) async -> Bool {
    guard
        let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
    else { return false }
    try? await channel.close().get()
    return true
}
