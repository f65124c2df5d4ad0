import Contracts
import InteropContracts
import RPC
import Testing

@Suite("Malformed input throws MessageDecodingError and nothing else")
struct MalformedInputTests {
    /// Inputs no message type of ours accepts, with what is wrong with them.
    static let malformed: [(String, [UInt8])] = [
        ("truncated tag varint", [0x80]),
        ("truncated value varint", [0x10, 0xff]),
        ("varint longer than ten bytes", [0x10] + [UInt8](repeating: 0xff, count: 11) + [0x01]),
        ("length past the end", [0x0a, 0x05, 0x61]),
        ("length of 4 GiB", [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x61]),
        ("truncated length", [0x0a, 0x80]),
        ("field number 0", [0x00, 0x01]),
        ("wire type 6", [0x0e, 0x01]),
        ("wire type 7", [0x0f, 0x01]),
        ("truncated fixed64 in an unknown field", [0xf9, 0x07, 0x01, 0x02]),
        ("truncated fixed32 in an unknown field", [0xfd, 0x07, 0x01]),
    ]

    @Test("malformed bytes", arguments: malformed.indices)
    func malformedBytes(_ index: Int) {
        let (name, bytes) = Self.malformed[index]
        for decoder in AnyDecoder.all {
            #expect(throws: MessageDecodingError.self, "\(name) as \(decoder)") { try decoder.decode(bytes) }
        }
    }

    @Test("wrong wire types for known fields")
    func wrongWireTypes() {
        // Field 1 of Order is a string: a varint there is wrong.
        #expect(throws: MessageDecodingError(messageName: "orderhub.v1.Order")) { try Order(serializedBytes: [0x08, 0x01]) }
        // Field 2 of Order is an enum: a length-delimited value there is wrong.
        #expect(throws: MessageDecodingError.self) { try Order(serializedBytes: [0x12, 0x01, 0x01]) }
        // Field 4 holds LineItems: a fixed32 there is wrong.
        #expect(throws: MessageDecodingError.self) { try Order(serializedBytes: [0x25, 0x01, 0x02, 0x03, 0x04]) }
        // Field 3 of LineItem is an int64: a fixed64 there is wrong.
        #expect(throws: MessageDecodingError.self) { try LineItem(serializedBytes: [0x19] + [UInt8](repeating: 1, count: 8)) }
        // A start-group wire type.
        #expect(throws: MessageDecodingError.self) { try Order(serializedBytes: [0x0b, 0x0c]) }
    }

    @Test("malformed nested message")
    func malformedNested() {
        // Order.items holds a LineItem whose string length runs past the item's end.
        #expect(throws: MessageDecodingError.self) { try Order(serializedBytes: [0x22, 0x02, 0x0a, 0x05]) }
        #expect(throws: MessageDecodingError.self) { try SimpleRequest(serializedBytes: [0x1a, 0x03, 0x12, 0x09, 0x00]) }
    }

    @Test("a string that is not UTF-8 is refused, as proto3 requires")
    func invalidUTF8() {
        #expect(throws: MessageDecodingError.self) { try GetOrderRequest(serializedBytes: [0x0a, 0x02, 0xff, 0xfe]) }
        #expect(throws: MessageDecodingError.self) { try GetOrderRequest(serializedBytes: [0x0a, 0x02, 0xc3, 0x28]) }
        // Inside a nested message too.
        #expect(throws: MessageDecodingError.self) { try Order(serializedBytes: [0x22, 0x03, 0x0a, 0x01, 0x80]) }
        // bytes fields take anything.
        #expect(throws: Never.self) { try Payload(serializedBytes: [0x12, 0x02, 0xff, 0xfe]) }
    }

    @Test("string fields decode exactly what the standard library's UTF-8 validation accepts")
    func textAgreesWithStandardValidation() throws {
        let cases: [[UInt8]] = [
            [], Array("ord_0192".utf8), Array("é".utf8), Array("注文 🧾".utf8), [0xef, 0xbf, 0xbd],
            [0x80], [0xff, 0xfe], [0xc3, 0x28], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98],
            [0xf4, 0x90, 0x80, 0x80], Array("ok".utf8) + [0xe2, 0x82], [0x61, 0x00, 0x62],
        ]
        var random = SeededGenerator(seed: 0x0005_7F8)
        let randomCases = (0..<3_000).map { _ in
            // Mostly high bytes, so that many are valid multi-byte text and many are not.
            (0..<Int.random(in: 1...12, using: &random)).map { _ in
                Bool.random(using: &random) ? UInt8.random(in: 0x80...0xf4, using: &random) : UInt8.random(in: 0...0x7f, using: &random)
            }
        }
        var accepted = 0
        for bytes in cases + randomCases {
            let expected = String(validating: bytes, as: UTF8.self)
            let decoded = bytes.withUnsafeBufferPointer { try? ProtobufCUnpacker.text($0) }
            #expect(decoded == expected, "\(bytes)")
            if expected != nil { accepted += 1 }
        }
        // Both kinds are covered.
        #expect(accepted > 100 && accepted < cases.count + randomCases.count - 100)
    }

    @Test("unknown fields are skipped")
    func unknownFields() throws {
        let bytes: [UInt8] = [0xf8, 0x07, 0x05, 0x0a, 0x01, 0x61, 0xfa, 0x07, 0x02, 0x01, 0x02]
        #expect(try GetOrderRequest(serializedBytes: bytes) == GetOrderRequest(id: "a"))
    }

    @Test("random bytes either decode or throw MessageDecodingError", arguments: AnyDecoder.all)
    func randomBytes(_ decoder: AnyDecoder) {
        var random = SeededGenerator(seed: 0x0DEC0DE)
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            expectDecodesOrFails(decoder, bytes)
        }
    }

    @Test("truncated and corrupted valid messages either decode or throw MessageDecodingError")
    func mutatedMessages() {
        let valid: [[UInt8]] = [
            Order.make().serializedBytes(),
            ListOrdersResponse(orders: [.make(), .make()], nextPageToken: "t").serializedBytes(),
            SimpleRequest(payload: Payload(body: [1, 2, 3]), responseStatus: EchoStatus(code: 1, message: "m")).serializedBytes(),
        ]
        var random = SeededGenerator(seed: 42)
        for bytes in valid {
            for length in 0..<bytes.count {
                for decoder in AnyDecoder.all { expectDecodesOrFails(decoder, Array(bytes[..<length])) }
            }
            for _ in 0..<500 {
                var corrupted = bytes
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    corrupted[Int.random(in: 0..<corrupted.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
                for decoder in AnyDecoder.all { expectDecodesOrFails(decoder, corrupted) }
            }
        }
    }

    private func expectDecodesOrFails(_ decoder: AnyDecoder, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try decoder.decode(bytes)
        } catch is MessageDecodingError {
        } catch {
            Issue.record("\(decoder) threw \(error) for \(bytes)", sourceLocation: sourceLocation)
        }
    }
}
