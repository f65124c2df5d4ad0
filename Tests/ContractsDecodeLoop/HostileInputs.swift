import Contracts
import InteropContracts

/// Inputs a hostile or broken peer could send.
enum HostileInputs {
    /// Hand-made malformed encodings.
    static let crafted: [[UInt8]] = [
        [], [0x80], [0x10, 0xff], [0x10] + [UInt8](repeating: 0xff, count: 11) + [0x01],
        [0x0a, 0x05, 0x61], [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x61], [0x0a, 0x80], [0x00, 0x01],
        [0x0e, 0x01], [0x0f, 0x01], [0x0b, 0x0c], [0x08, 0x01], [0x12, 0x01, 0x01],
        [0x22, 0x02, 0x0a, 0x05], [0x0a, 0x02, 0xff, 0xfe], [0x22, 0x03, 0x0a, 0x01, 0x80],
        [0xf9, 0x07, 0x01, 0x02], [0xfd, 0x07, 0x01], [0x1a, 0x03, 0x12, 0x09, 0x00],
        // A 1-byte length prefix claiming the maximum field number, then nothing.
        [0xfa, 0xff, 0xff, 0xff, 0x0f, 0x01],
    ]

    /// Inputs that cost protobuf-c far more memory than their size (the decode budget's job).
    static let amplifying: [[UInt8]] = [
        (0..<(1 << 18)).flatMap { _ in [0x0a, 0x00] as [UInt8] },
        (0..<(1 << 17)).flatMap { _ in [0xa0, 0x06, 0x01] as [UInt8] },
        (0..<(1 << 17)).flatMap { _ in [0x22, 0x00] as [UInt8] },
        // Deep nesting through ListOrdersResponse.orders → Order.items: bounded by the schema.
        [0x0a, 0x04, 0x22, 0x02, 0x0a, 0x00],
    ]

    /// Valid encodings to corrupt.
    static let valid: [[UInt8]] = [
        Order(
            id: "o-1", state: .confirmed, customerID: "c", items: [LineItem(sku: "s", quantity: 2, unitPriceCents: 5)],
            totalCents: 10, currency: "EUR", requestID: "r"
        ).serializedBytes(),
        ListOrdersResponse(orders: [Order(id: "a\u{0}b"), Order(id: "😀")], nextPageToken: "t").serializedBytes(),
        SimpleRequest(payload: Payload(body: [1, 2, 3]), responseStatus: EchoStatus(code: 1, message: "m")).serializedBytes(),
        StreamingOutputCallRequest(responseParameters: [ResponseParameters(size: 9), ResponseParameters(size: -1)])
            .serializedBytes(),
    ]

    static func randomBytes(using random: inout SeededGenerator) -> [UInt8] {
        (0..<Int.random(in: 0...256, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    /// A valid encoding truncated, corrupted, or with a random tail.
    static func mutated(using random: inout SeededGenerator) -> [UInt8] {
        var bytes = valid[Int.random(in: 0..<valid.count, using: &random)]
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
            bytes.removeLast(Int.random(in: 0...bytes.count, using: &random))
        case 1:
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
        default:
            bytes += randomBytes(using: &random).prefix(16)
        }
        return bytes
    }
}

/// SplitMix64: deterministic, so a failure reproduces.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
