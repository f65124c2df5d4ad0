@testable import Orders
import Testing

@Suite("GetOrder's memo of packed answers")
struct EncodedOrderMemoTests {
    private func record(_ id: String, version: Int64) -> OrderRecord {
        OrderRecord(
            id: id, state: .created, customerID: "c", items: [], totalCents: 0, currency: "EUR",
            createdAt: 1, updatedAt: 1, version: version)
    }

    @Test func anOrderIsPackedOncePerVersion() {
        let memo = EncodedOrderMemo()
        var packed = 0
        let encode = { (mark: UInt8) -> () -> [UInt8] in
            {
                packed += 1; return [mark]
            }
        }
        #expect(memo.bytes(of: record("a", version: 1), encode: encode(1)) == [1])
        #expect(memo.bytes(of: record("a", version: 1), encode: encode(9)) == [1])
        #expect(packed == 1)
        // A transition bumps the version: the old bytes must not be served.
        #expect(memo.bytes(of: record("a", version: 2), encode: encode(2)) == [2])
        #expect(packed == 2)
        #expect(memo.bytes(of: record("b", version: 2), encode: encode(3)) == [3])
    }

    @Test func itStartsOverWhenFull() {
        let memo = EncodedOrderMemo(capacity: 3)
        for index in 0..<3 { _ = memo.bytes(of: record("o\(index)", version: 1)) { [UInt8(index)] } }
        #expect(memo.count == 3)
        _ = memo.bytes(of: record("o1", version: 2)) { [7] }
        #expect(memo.count == 3, "a new version of a held order replaces its entry")
        _ = memo.bytes(of: record("o9", version: 1)) { [9] }
        #expect(memo.count == 1)
    }
}
