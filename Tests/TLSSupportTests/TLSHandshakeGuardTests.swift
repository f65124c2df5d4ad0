import Logging
import NIOCore
import NIOEmbedded
import NIOTLS
import TLSSupport
import Testing

@Suite struct TLSHandshakeGuardTests {
    func channel(requiring protocols: Set<String>?) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            TLSHandshakeGuard(
                requiredProtocols: protocols, timeout: .seconds(10), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    @Test(arguments: [nil, "http/1.1"] as [String?])
    func aHandshakeWithoutH2IsClosedAndItsBytesDropped(negotiated: String?) throws {
        let channel = try channel(requiring: ["h2"])
        channel.pipeline.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: negotiated))
        try channel.writeInbound(ByteBuffer(string: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        #expect(!channel.isActive)
    }

    @Test func anH2HandshakePassesAndTheGuardLeaves() throws {
        let channel = try channel(requiring: ["h2"])
        channel.pipeline.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: "h2"))
        try channel.writeInbound(ByteBuffer(string: "bytes"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "bytes"))
        #expect(channel.isActive)
        #expect(throws: (any Error).self) { try channel.pipeline.syncOperations.handler(type: TLSHandshakeGuard.self) }
        // No timer left behind: the handshake timeout no longer applies.
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    @Test func withoutARequiredProtocolAnyHandshakeIsAccepted() throws {
        let channel = try channel(requiring: nil)
        channel.pipeline.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: nil))
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    @Test func aStalledHandshakeIsClosedAfterTheTimeout() throws {
        let channel = try channel(requiring: ["h2"])
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }
}
