import Contracts
import RPC
import Testing

/// `ProtobufCUnpacker` cuts protobuf-c's blocks from slabs (a first one on the stack, then
/// growing heap slabs, and a slab of its own for a big block). Whatever slab a block lands in,
/// the decoded message is the one that was encoded, string lengths (kept in each block's
/// header) included.
@Suite("Unpacking from slabs")
struct UnpackerSlabTests {
    @Test("an order whose blocks fill the stack slab and several heap slabs decodes exactly")
    func spillsOntoTheHeap() throws {
        // Each item is a C struct plus a string block: 600 items need well over 1 + 16 + 32 KiB.
        let items = (0..<600).map { index in
            LineItem(sku: index % 7 == 0 ? "sku\u{0}\(index)" : "sku-\(index)-é", quantity: Int32(index), unitPriceCents: Int64(index) * 3)
        }
        let order = Order(id: "big", customerID: "c\u{0}", items: items, currency: "EUR", paymentID: String(repeating: "p", count: 5_000))
        try expectRoundTrip(order)
    }

    @Test("a list of orders with a pointer array bigger than a slab quarter decodes exactly")
    func bigBlock() throws {
        // 3 000 pointers: 24 000 bytes in one block, which gets a slab of its own.
        let orders = (0..<3_000).map { Order(id: "o\($0)", customerID: $0 % 2 == 0 ? "" : "nul\u{0}\($0)", currency: "USD") }
        try expectRoundTrip(ListOrdersResponse(orders: orders, nextPageToken: "next"))
    }

    @Test("decodes one after the other reuse nothing from each other")
    func independentDecodes() throws {
        for count in [0, 1, 10, 100, 1_000] {
            let order = Order(id: "o\(count)", items: (0..<count).map { LineItem(sku: "s\($0)", quantity: 1) })
            try expectRoundTrip(order)
        }
        // A malformed input after a good one still fails cleanly: a truncated length-delimited field.
        #expect(throws: MessageDecodingError.self) { try Order(serializedBytes: [0x0a, 0x05, 0x61]) }
    }
}
