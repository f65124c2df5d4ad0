import Testing
@testable import Orders

@Suite("Page tokens and ids")
struct OrderCursorTests {
    @Test func roundTrip() throws {
        let cursor = OrderCursor(createdAt: 1_732_000_000_123, id: "0193a5b2-7c1e-7d2a-9f00-0123456789ab")
        #expect(try OrderCursor(token: cursor.token) == cursor)
        #expect(!cursor.token.contains("="))
    }

    @Test(arguments: ["", "!!!", "djEuMTIz", "djIuMS5h", "djEueC5h", "djEuMS4", String(repeating: "A", count: 400)])
    func malformedTokensAreInvalidArgument(token: String) {
        #expect(throws: OrderError.self) { try OrderCursor(token: token) }
    }

    @Test(arguments: [[UInt8](), [0], [1, 2], [1, 2, 3], [255, 254, 253, 252], Array(0...255)])
    func base64URLRoundTrip(bytes: [UInt8]) {
        #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
    }

    @Test func idsAreVersion7UUIDsInTimeOrder() {
        let first = OrderIdentifier.make(now: 1_700_000_000_000)
        let second = OrderIdentifier.make(now: 1_700_000_000_001)
        #expect(first.count == 36)
        #expect(Array(first)[14] == "7")
        #expect("89ab".contains(Array(first)[19]))
        #expect(first < second)
        #expect(OrderIdentifier.make(now: 5) != OrderIdentifier.make(now: 5))
    }
}
