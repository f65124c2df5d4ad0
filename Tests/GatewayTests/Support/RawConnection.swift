import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A plain TCP connection (or TLS, given a context) for sending bytes the HTTP client libraries
/// would not: half a request head, a chunked body. Records what comes back and whether the
/// server closed it.
struct RawConnection {
    let channel: any Channel
    private let received: Received

    static func connect(port: Int, tls: NIOSSLContext? = nil) async throws -> RawConnection {
        let received = Received()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: "localhost"))
                    }
                    try channel.pipeline.syncOperations.addHandler(Collector(received))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return RawConnection(channel: channel, received: received)
    }

    /// Sends text; false once the connection is gone.
    @discardableResult
    func send(_ text: String) async -> Bool {
        do {
            try await channel.writeAndFlush(ByteBuffer(string: text))
            return true
        } catch {
            return false
        }
    }

    var isOpen: Bool { channel.isActive }
    var text: String { received.bytes.withLock { String(decoding: $0, as: UTF8.self) } }
    var bytes: [UInt8] { received.bytes.withLock { $0 } }

    /// Waits until the server closes the connection, up to `limit`; true when it did.
    func waitForClose(limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while channel.isActive, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !channel.isActive
    }

    /// Waits until what came back contains `marker`, up to `limit`; true when it does.
    func waitForText(_ marker: String, limit: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !text.contains(marker), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return text.contains(marker)
    }

    func close() async {
        try? await channel.close()
    }
}

private final class Received: Sendable {
    let bytes = Mutex<[UInt8]>([])
}

private final class Collector: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    private let received: Received

    init(_ received: Received) {
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        received.bytes.withLock { $0.append(contentsOf: buffer.readableBytesView) }
    }
}
