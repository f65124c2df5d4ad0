import Contracts
import RPC
import Testing

@Suite("The unpack memory budget")
struct DecodeBudgetTests {
    @Test("16× the input, at least 1 MiB, at most 16 MiB")
    func budget() {
        #expect(ProtobufCUnpacker.budget(forInputSize: 0) == 1 << 20)
        #expect(ProtobufCUnpacker.budget(forInputSize: 4096) == 1 << 20)
        #expect(ProtobufCUnpacker.budget(forInputSize: 100_000) == 1_600_000)
        #expect(ProtobufCUnpacker.budget(forInputSize: 1 << 20) == 16 << 20)
        #expect(ProtobufCUnpacker.budget(forInputSize: 64 << 20) == 16 << 20)
        #expect(ProtobufCUnpacker.budget(forInputSize: Int.max) == 16 << 20)
    }

    @Test("empty sub-messages that cost protobuf-c ~80 bytes per input byte fail cleanly")
    func amplifyingInput() throws {
        // ListOrdersResponse.orders, 262 144 times an empty Order: 512 KiB of input.
        let hostile: [UInt8] = (0..<(1 << 19)).map { $0 % 2 == 0 ? 0x0a : 0x00 }
        #expect(throws: MessageDecodingError(messageName: "orderhub.v1.ListOrdersResponse")) {
            try ListOrdersResponse(serializedBytes: hostile)
        }
        // The same shape, small enough for the 1 MiB floor, decodes.
        let small = Array(hostile.prefix(2_000))
        #expect(try ListOrdersResponse(serializedBytes: small).orders.count == 1_000)
    }

    @Test("unknown varint fields, repeated, stay within the budget or fail cleanly")
    func unknownFieldFlood() {
        // Field 100, varint 1, 131 072 times: protobuf-c keeps every unknown field.
        let flood = (0..<131_072).flatMap { _ in [0xa0, 0x06, 0x01] as [UInt8] }
        #expect(throws: MessageDecodingError.self) { try GetOrderRequest(serializedBytes: flood) }
    }
}
