import NIOCore
@testable import RPCHTTP2
import Testing

@Suite struct OutboundMessageBufferTests {
    /// Pulls `count` bytes as nghttp2 would for a DATA frame.
    private func pull(_ buffer: OutboundMessageBuffer, _ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let read = out.withUnsafeMutableBytes { buffer.read(into: $0) }
        return Array(out[..<read])
    }

    private func framed(_ message: [UInt8]) -> [UInt8] {
        [0, 0, 0, 0, UInt8(message.count)] + message
    }

    @Test func restOfStartedMessageFollowsTheReads() {
        let buffer = OutboundMessageBuffer(allocator: ByteBufferAllocator())
        #expect(buffer.restOfStartedMessage == 0)
        buffer.append(message: Array(repeating: 1, count: 10))  // 15 bytes framed
        buffer.append(message: Array(repeating: 2, count: 20))  // 25 bytes framed
        #expect(buffer.restOfStartedMessage == 0, "nothing pulled yet")
        _ = pull(buffer, 4)
        #expect(buffer.restOfStartedMessage == 11)
        _ = pull(buffer, 11)
        #expect(buffer.restOfStartedMessage == 0, "at the boundary")
        _ = pull(buffer, 1)
        #expect(buffer.restOfStartedMessage == 24)
        // A large append makes the buffer grow: the boundaries must survive it.
        buffer.append(message: Array(repeating: 3, count: 200))
        #expect(buffer.restOfStartedMessage == 24)
        _ = pull(buffer, 30)
        #expect(buffer.restOfStartedMessage == 199)
    }

    @Test func abandonKeepsOnlyTheRestOfTheStartedMessage() {
        let buffer = OutboundMessageBuffer(allocator: ByteBufferAllocator())
        buffer.append(message: Array(repeating: 1, count: 10))
        buffer.append(message: Array(repeating: 2, count: 20))
        let first = pull(buffer, 7)
        buffer.abandon(throwing: CancellationError())
        let rest = pull(buffer, 100)
        #expect(first + rest == framed(Array(repeating: 1, count: 10)), "the first message whole, the second dropped")
        #expect(buffer.isEmpty)
        #expect(buffer.closed)
    }

    @Test func abandonAtABoundaryDropsEverythingQueued() {
        let buffer = OutboundMessageBuffer(allocator: ByteBufferAllocator())
        buffer.append(message: Array(repeating: 1, count: 10))
        _ = pull(buffer, 15)
        buffer.append(message: Array(repeating: 2, count: 20))
        buffer.abandon(throwing: CancellationError())
        #expect(buffer.isEmpty)
        #expect(pull(buffer, 100).isEmpty)
    }
}
