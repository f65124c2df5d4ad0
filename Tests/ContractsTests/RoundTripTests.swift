import Contracts
import InteropContracts
import RPC
import Testing

@Suite("Round trips through protobuf-c")
struct RoundTripTests {
    static let texts = [
        "", "a", "EUR", "Grüße, déjà vu", "日本語のテキスト", "emoji 😀 and flags 🇩🇪🇯🇵", "𝄞 non-BMP 𐍈",
        "a\u{0}b", "\u{0}", "trailing\u{0}", String(repeating: "x", count: 100_000),
    ]

    @Test("every string field keeps its value", arguments: texts)
    func strings(_ text: String) throws {
        try expectRoundTrip(LineItem(sku: text))
        try expectRoundTrip(
            Order(
                id: text, customerID: text, items: [LineItem(sku: text)], currency: text, paymentID: text, requestID: text))
        try expectRoundTrip(
            CreateOrderRequest(
                customerID: text, items: [LineItem(sku: text)], currency: text, paymentToken: text, requestID: text))
        try expectRoundTrip(GetOrderRequest(id: text))
        try expectRoundTrip(CancelOrderRequest(id: text))
        try expectRoundTrip(ListOrdersRequest(pageToken: text, customerID: text))
        try expectRoundTrip(ListOrdersResponse(orders: [Order(id: text)], nextPageToken: text))
        try expectRoundTrip(WatchOrderRequest(id: text))
        try expectRoundTrip(Payment(id: text, orderID: text, currency: text, declineReason: text))
        try expectRoundTrip(ProcessPaymentRequest(orderID: text, currency: text, paymentToken: text, customerID: text))
        try expectRoundTrip(RefundPaymentRequest(paymentID: text, orderID: text, reason: text))
        try expectRoundTrip(GetPaymentRequest(paymentID: text, orderID: text))
        try expectRoundTrip(HealthCheckRequest(service: text))
        try expectRoundTrip(EchoStatus(code: 3, message: text))
        try expectRoundTrip(SimpleResponse(username: text, oauthScope: text, serverID: text, hostname: text))
    }

    @Test("64-bit integers at their limits", arguments: [Int64.min, Int64.min + 1, -1, 0, 1, Int64(Int32.max) + 1, Int64.max])
    func int64Limits(_ value: Int64) throws {
        try expectRoundTrip(LineItem(unitPriceCents: value))
        try expectRoundTrip(Order(totalCents: value, createdAt: value, updatedAt: value, deliverAt: value))
        try expectRoundTrip(Payment(amountCents: value, createdAt: value, updatedAt: value, refundedAt: value))
        try expectRoundTrip(ProcessPaymentRequest(amountCents: value))
    }

    @Test("32-bit integers at their limits", arguments: [Int32.min, -1, 0, 1, 127, 128, Int32.max])
    func int32Limits(_ value: Int32) throws {
        try expectRoundTrip(LineItem(quantity: value))
        try expectRoundTrip(ListOrdersRequest(pageSize: value))
        try expectRoundTrip(EchoStatus(code: value))
        try expectRoundTrip(SimpleRequest(responseSize: value))
        try expectRoundTrip(StreamingInputCallResponse(aggregatedPayloadSize: value))
        try expectRoundTrip(ResponseParameters(size: value, intervalUs: value))
    }

    @Test("a negative int32 takes ten bytes on the wire, as the proto3 spec says")
    func negativeInt32Encoding() throws {
        let bytes = try expectRoundTrip(LineItem(quantity: -1))
        #expect(bytes == [0x10] + [UInt8](repeating: 0xff, count: 9) + [0x01])
    }

    @Test("fields encode to the documented wire bytes")
    func knownBytes() throws {
        let bytes = try expectRoundTrip(LineItem(sku: "a", quantity: 1, unitPriceCents: 300))
        #expect(bytes == [0x0a, 0x01, 0x61, 0x10, 0x01, 0x18, 0xac, 0x02])
        #expect(try expectRoundTrip(HealthCheckResponse(status: .serving)) == [0x08, 0x01])
        #expect(try expectRoundTrip(BoolValue(value: true)) == [0x08, 0x01])
    }

    @Test("messages at their defaults encode to nothing and decode from nothing")
    func defaults() throws {
        for decoder in AnyDecoder.all { try decoder.decode([]) }
        #expect(try expectRoundTrip(Order()).isEmpty)
        #expect(try expectRoundTrip(CreateOrderRequest()).isEmpty)
        #expect(try expectRoundTrip(ListOrdersResponse()).isEmpty)
        #expect(try expectRoundTrip(Payment()).isEmpty)
        #expect(try expectRoundTrip(HealthCheckResponse()).isEmpty)
        #expect(try expectRoundTrip(Empty()).isEmpty)
        #expect(try expectRoundTrip(SimpleRequest()).isEmpty)
        #expect(try Order(serializedBytes: []) == Order())
    }

    @Test("filled messages of every type")
    func filled() throws {
        try expectRoundTrip(Order.make())
        try expectRoundTrip(
            CreateOrderRequest(
                customerID: "c", items: [.make()], currency: "USD", paymentToken: "tok_approve", requestID: "r"))
        try expectRoundTrip(ListOrdersRequest(pageSize: 20, pageToken: "next", state: .created, customerID: "c"))
        try expectRoundTrip(ListOrdersResponse(orders: [.make(), .make(state: .cancelled)], nextPageToken: "t"))
        try expectRoundTrip(Payment.make())
        try expectRoundTrip(
            StreamingOutputCallRequest(
                responseType: .compressable, responseParameters: [ResponseParameters(size: 31415, intervalUs: 10)],
                payload: Payload(body: [0, 1, 2]), responseStatus: EchoStatus(code: 2, message: "boom")))
        try expectRoundTrip(StreamingOutputCallResponse(payload: Payload(body: Array(repeating: 7, count: 314_159))))
        try expectRoundTrip(Payload(body: [UInt8](repeating: 0xab, count: 1 << 20)))
    }

    @Test("repeated fields: empty, one, and 100 000 items")
    func repeatedFields() throws {
        try expectRoundTrip(Order(items: []))
        try expectRoundTrip(Order(items: [.make()]))
        let many = (0..<100_000).map { LineItem(sku: "sku-\($0)", quantity: Int32($0 % 7), unitPriceCents: Int64($0) * 3) }
        let order = Order.make(items: many)
        let decoded = try Order(serializedBytes: order.serializedBytes())
        #expect(decoded.items.count == 100_000)
        #expect(decoded == order)
        try expectRoundTrip(ListOrdersResponse(orders: (0..<1_000).map { Order.make(id: "order-\($0)") }))
        try expectRoundTrip(StreamingOutputCallRequest(responseParameters: (0..<10_000).map { ResponseParameters(size: Int32($0)) }))
    }

    @Test("nested messages: absent, present and empty, present and filled")
    func optionalMessages() throws {
        let absent = SimpleRequest(responseSize: 1)
        #expect(try SimpleRequest(serializedBytes: absent.serializedBytes()).payload == nil)
        let empty = SimpleRequest(payload: Payload(), responseStatus: EchoStatus())
        let decodedEmpty = try SimpleRequest(serializedBytes: empty.serializedBytes())
        #expect(decodedEmpty.payload == Payload())
        #expect(decodedEmpty.responseStatus == EchoStatus())
        #expect(decodedEmpty.responseCompressed == nil)
        try expectRoundTrip(
            SimpleRequest(
                responseType: .compressable, responseSize: 314_159, payload: Payload(body: [0xff, 0x00, 0x80]),
                fillUsername: true, fillOauthScope: true, responseCompressed: BoolValue(value: true),
                responseStatus: EchoStatus(code: 13, message: "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"),
                expectCompressed: BoolValue(value: false), fillServerID: true, fillGrpclbRouteType: true))
        try expectRoundTrip(SimpleResponse(payload: Payload(body: []), grpclbRouteType: .backend))
    }

    static let bodies: [[UInt8]] = [[], [0], [0, 0, 0], Array(0...255)]

    @Test("bytes fields keep every byte value, NUL included", arguments: bodies.indices)
    func bytesFields(_ index: Int) throws {
        let body = Self.bodies[index]
        try expectRoundTrip(Payload(type: .compressable, body: body))
        try expectRoundTrip(StreamingInputCallRequest(payload: Payload(body: body)))
    }
}
