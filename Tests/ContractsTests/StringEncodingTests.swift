import Contracts
import RPC
import Testing

/// protobuf-c keeps strings as NUL-terminated `char *`. The generated code still carries
/// U+0000 exactly, both ways (see `ProtobufCArena` and `ProtobufCUnpacker`).
@Suite("Strings with U+0000")
struct StringEncodingTests {
    @Test("a string with NUL is encoded as the standard field, whatever its position in the message")
    func encodesExactly() throws {
        // GetOrderRequest.id = "a\0b": tag 0x0a, length 3, the three bytes.
        #expect(GetOrderRequest(id: "a\u{0}b").serializedBytes() == [0x0a, 0x03, 0x61, 0x00, 0x62])
        let item = LineItem(sku: "x\u{0}", quantity: 3)
        let bytes = item.serializedBytes()
        #expect(bytes.count == 2 + 2 + 2)
        #expect(try LineItem(serializedBytes: bytes) == item)
    }

    @Test("a NUL decoded from the wire is kept, not cut off")
    func decodesExactly() throws {
        #expect(try GetOrderRequest(serializedBytes: [0x0a, 0x03, 0x61, 0x00, 0x62]).id == "a\u{0}b")
        #expect(try GetOrderRequest(serializedBytes: [0x0a, 0x01, 0x00]).id == "\u{0}")
        // The last of repeated values wins, NULs and all.
        #expect(try GetOrderRequest(serializedBytes: [0x0a, 0x01, 0x61, 0x0a, 0x02, 0x00, 0x00]).id == "\u{0}\u{0}")
    }

    @Test("strings with and without NUL side by side, in nested messages")
    func mixed() throws {
        let order = Order(
            id: "plain", customerID: "nul\u{0}inside",
            items: [LineItem(sku: "\u{0}lead"), LineItem(sku: "ok"), LineItem(sku: "end\u{0}")], currency: "EUR")
        try expectRoundTrip(order)
        try expectRoundTrip(ListOrdersResponse(orders: [order, order], nextPageToken: "\u{0}"))
    }
}
