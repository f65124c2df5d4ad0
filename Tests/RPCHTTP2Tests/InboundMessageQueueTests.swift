import RPC
import Testing
@testable import RPCHTTP2

/// Records what a queue releases.
private final class Recorder: InboundFlowControl {
    var released: [Int] = []
    func release(streamID: Int32, count: Int) { released.append(count) }
}

@Suite struct InboundMessageQueueTests {
    private func feed(_ queue: InboundMessageQueue, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try queue.receive($0) }
    }

    @Test func bytesAreReleasedAtOnceWhileNothingWaitsUnread() throws {
        let queue = InboundMessageQueue(maxMessageSize: 100, encoding: nil)
        let recorder = Recorder()
        queue.flowControl = recorder
        try feed(queue, [0, 0, 0, 0, 3, 1])  // a partial message
        #expect(recorder.released == [6])
    }

    @Test func bytesAreHeldWhileMessagesWaitAndReleasedWhenAllAreRead() throws {
        let queue = InboundMessageQueue(maxMessageSize: 100, encoding: nil)
        let recorder = Recorder()
        queue.flowControl = recorder
        try feed(queue, [0, 0, 0, 0, 1, 7])
        try feed(queue, [0, 0, 0, 0, 1, 8])
        #expect(recorder.released.isEmpty, "the peer's window stays closed while messages wait")
        #expect(queue.unreadCount == 2)
        guard case .message([7]) = queue.poll() else { Issue.record("wrong first message"); return }
        #expect(recorder.released.isEmpty)
        guard case .message([8]) = queue.poll() else { Issue.record("wrong second message"); return }
        #expect(recorder.released == [12], "reading the last waiting message reopens the window")
        guard case .empty = queue.poll() else { Issue.record("not empty"); return }
    }

    @Test func endAfterAPartialMessageIsAnError() throws {
        let queue = InboundMessageQueue(maxMessageSize: 100, encoding: nil)
        try feed(queue, [0, 0, 0, 0, 3, 1])
        queue.finish()
        guard case .failed(let error) = queue.poll() else { Issue.record("truncation accepted"); return }
        #expect((error as? RPCError)?.code == .internal)
    }

    @Test func endIsSeenAfterTheBufferedMessages() throws {
        let queue = InboundMessageQueue(maxMessageSize: 100, encoding: nil)
        try feed(queue, [0, 0, 0, 0, 1, 5])
        queue.finish()
        guard case .message([5]) = queue.poll(), case .end = queue.poll() else { Issue.record("wrong order"); return }
    }

    @Test func overLimitPrefixThrows() {
        let queue = InboundMessageQueue(maxMessageSize: 4, encoding: nil)
        #expect(throws: RPCError.self) { try feed(queue, [0, 0, 0, 0, 5]) }
    }
}
