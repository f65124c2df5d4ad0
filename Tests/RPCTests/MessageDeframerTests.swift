import Testing
@testable import RPC

@Suite struct MessageDeframerTests {
    private func messages(_ chunks: [[UInt8]], max: Int = 1 << 20) throws -> [[UInt8]] {
        var deframer = MessageDeframer(maxMessageSize: max)
        var out: [[UInt8]] = []
        for chunk in chunks { try deframer.append(chunk) { message, _ in out.append(message) } }
        return out
    }

    @Test func oneMessageInOneChunk() throws {
        #expect(try messages([[0, 0, 0, 0, 2, 7, 8]]) == [[7, 8]])
    }

    @Test func severalMessagesInOneChunk() throws {
        #expect(try messages([[0, 0, 0, 0, 1, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2]]) == [[9], [], [1, 2]])
    }

    @Test func messageSplitAtEveryByte() throws {
        let framed: [UInt8] = [0, 0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 0, 1, 4]
        #expect(try messages(framed.map { [$0] }) == [[1, 2, 3], [4]])
    }

    @Test func partialMessageIsReported() throws {
        var deframer = MessageDeframer()
        try deframer.append([0, 0, 0]) { _, _ in Issue.record("no message yet") }
        #expect(deframer.hasPartialMessage)
        #expect(deframer.bufferedByteCount == 3)
        try deframer.append([0, 1, 5]) { message, _ in #expect(message == [5]) }
        #expect(!deframer.hasPartialMessage)
    }

    @Test(arguments: [UInt32(1 << 20) + 1, 2 << 20, UInt32.max])
    func overLimitIsResourceExhaustedBeforeBuffering(length: UInt32) {
        var deframer = MessageDeframer(maxMessageSize: 1 << 20)
        let prefix: [UInt8] = [0, UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
        #expect(throws: RPCError(code: .resourceExhausted, message: "received message larger than max (\(length) vs. 1048576)")) {
            try deframer.append(prefix) { _, _ in }
        }
        #expect(deframer.bufferedByteCount == 0)
    }

    @Test func exactlyTheLimitIsAccepted() throws {
        #expect(try messages([[0, 0, 0, 0, 4, 1, 2, 3, 4]], max: 4) == [[1, 2, 3, 4]])
    }

    @Test(arguments: [nil, "identity", "br"])
    func compressedFlagWithoutASupportedEncodingIsUnimplemented(encoding: String?) {
        var deframer = MessageDeframer(encoding: encoding)
        #expect {
            try deframer.append([1, 0, 0, 0, 1, 0]) { _, _ in }
        } throws: { ($0 as? RPCError)?.code == .unimplemented }
    }

    @Test func compressedMessagesArePassedOnFlagged() throws {
        var deframer = MessageDeframer(encoding: "gzip")
        var seen: [([UInt8], Bool)] = []
        try deframer.append([1, 0, 0, 0, 2, 7, 8, 0, 0, 0, 0, 1, 9]) { message, compressed in seen.append((message, compressed)) }
        #expect(seen.map(\.0) == [[7, 8], [9]])
        #expect(seen.map(\.1) == [true, false])
        #expect(deframer.compression == .gzip)
    }

    @Test func anErrorFromOnMessageFailsTheDeframer() {
        var deframer = MessageDeframer(encoding: "gzip")
        let bomb = RPCError(code: .resourceExhausted, message: "too large once inflated")
        #expect(throws: bomb) {
            try deframer.append([1, 0, 0, 0, 1, 7]) { (_, _) throws(RPCError) in throw bomb }
        }
        #expect(throws: bomb) { try deframer.append([0, 0, 0, 0, 0]) { _, _ in } }
    }

    @Test func invalidFlagIsInternal() {
        var deframer = MessageDeframer()
        #expect {
            try deframer.append([2, 0, 0, 0, 0]) { _, _ in }
        } throws: { ($0 as? RPCError)?.code == .internal }
    }

    @Test func errorIsSticky() {
        var deframer = MessageDeframer(maxMessageSize: 1)
        #expect(throws: RPCError.self) { try deframer.append([0, 0, 0, 0, 2]) { _, _ in } }
        #expect(throws: RPCError.self) { try deframer.append([0, 0, 0, 0, 0]) { _, _ in } }
    }

    @Test func roundTripsWithTheFramer() throws {
        let originals: [[UInt8]] = [[], [1], Array(repeating: 7, count: 70_000)]
        var stream: [UInt8] = []
        for message in originals { stream += try MessageFramer().frame(message) }
        let chunks = stride(from: 0, to: stream.count, by: 16_384).map { Array(stream[$0..<min($0 + 16_384, stream.count)]) }
        #expect(try messages(chunks) == originals)
    }
}
