import Testing
@testable import RPC

@Suite struct MessageFramerTests {
    @Test func framesWithBigEndianLengthAndZeroFlag() throws {
        let frame = try MessageFramer().frame([0xAA, 0xBB, 0xCC])
        #expect(frame == [0, 0, 0, 0, 3, 0xAA, 0xBB, 0xCC])
    }

    @Test func prefixOfALargeLength() {
        #expect(MessageFramer.prefix(length: 0x0102_0304) == [0, 1, 2, 3, 4])
    }

    @Test func emptyMessageIsJustThePrefix() throws {
        #expect(try MessageFramer().frame([]) == [0, 0, 0, 0, 0])
    }

    @Test func overTheSendLimitIsInternal() {
        let framer = MessageFramer(maxMessageSize: 4)
        #expect(throws: RPCError(code: .internal, message: "sent message larger than max (5 vs. 4)")) {
            try framer.frame([1, 2, 3, 4, 5])
        }
        #expect(throws: Never.self) { try framer.frame([1, 2, 3, 4]) }
    }
}
