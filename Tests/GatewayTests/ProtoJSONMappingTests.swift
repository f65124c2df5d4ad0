import Contracts
@testable import Gateway
import Testing

@Suite("proto3 JSON mapping of the Orders messages")
struct ProtoJSONMappingTests {
    static let order = Order(
        id: "3f2a", state: .cancelled, customerID: "c-1",
        items: [LineItem(sku: "a", quantity: 2, unitPriceCents: 9_007_199_254_740_993), LineItem(sku: "b", quantity: 1, unitPriceCents: 0)],
        totalCents: Int64.max, currency: "EUR", cancelReason: .paymentDeclined, paymentID: "pay-1",
        createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_500, deliverAt: 0, requestID: "key"
    )

    @Test("Order → JSON: lowerCamelCase, enums by name, int64 as strings, defaults written")
    func orderOut() throws {
        let json = try JSONValue(parsing: Array(Self.order.jsonText.utf8))
        #expect(
            json
                == .object([
                    "id": .string("3f2a"), "state": .string("ORDER_STATE_CANCELLED"), "customerId": .string("c-1"),
                    "items": .array([
                        .object(["sku": .string("a"), "quantity": .number("2"), "unitPriceCents": .string("9007199254740993")]),
                        .object(["sku": .string("b"), "quantity": .number("1"), "unitPriceCents": .string("0")]),
                    ]),
                    "totalCents": .string("9223372036854775807"), "currency": .string("EUR"),
                    "cancelReason": .string("CANCEL_REASON_PAYMENT_DECLINED"), "paymentId": .string("pay-1"),
                    "createdAt": .string("1700000000000"), "updatedAt": .string("1700000000500"),
                    "deliverAt": .string("0"), "requestId": .string("key"),
                ]))
    }

    @Test("Order → JSON → Order is the identity")
    func orderRoundTrip() throws {
        #expect(try Order(json: JSONValue(parsing: Array(Self.order.jsonText.utf8))) == Self.order)
    }

    @Test("JSON → Order accepts proto names, numbers for int64 and enums, and null as default")
    func orderIn() throws {
        let text = #"{"id":"x","state":2,"customer_id":"c","total_cents":12,"cancel_reason":null,"created_at":"5","items":[]}"#
        let order = try Order(json: JSONValue(parsing: Array(text.utf8)))
        #expect(order == Order(id: "x", state: .confirmed, customerID: "c", totalCents: 12, createdAt: 5))
    }

    @Test("an enum number this build does not know is kept, and written back as a number")
    func unknownEnumNumber() throws {
        let order = try Order(json: JSONValue(parsing: Array(#"{"state":9}"#.utf8)))
        #expect(order.state == .unrecognized(9))
        #expect(try JSONValue(parsing: Array(order.jsonText.utf8))["state"] == .number("9"))
    }

    @Test("CreateOrderRequest round-trips, and unknown fields are refused unless ignored")
    func createRequest() throws {
        let request = CreateOrderRequest(
            customerID: "c", items: [LineItem(sku: "s", quantity: 3, unitPriceCents: -1)], currency: "USD",
            paymentToken: "tok_approve", requestID: "r"
        )
        var json = JSONWriter()
        request.write(to: &json)
        #expect(try CreateOrderRequest(json: JSONValue(parsing: Array(json.text.utf8)), options: .strict) == request)

        let extra = try JSONValue(parsing: Array(#"{"currency":"USD","gift":true}"#.utf8))
        #expect(throws: ProtoJSONError.self) { try CreateOrderRequest(json: extra, options: .strict) }
        #expect(try CreateOrderRequest(json: extra, options: ProtoJSONOptions(ignoreUnknownFields: true)).currency == "USD")
    }

    @Test("unknown fields are found among many known ones, under either spelling")
    func unknownAmongMany() throws {
        // A field under both spellings is refused, even when one of them is null.
        let text = #"{"customer_id":"c","items":[],"currency":"USD","paymentToken":"t","request_id":"r","customerId":null}"#
        #expect(throws: ProtoJSONError.self) { try CreateOrderRequest(json: JSONValue(parsing: Array(text.utf8)), options: .strict) }
        // Five known fields (more than are tracked inline), mixed spellings; then two unknown ones.
        let known = #"{"customer_id":"c","items":[],"currency":"USD","paymentToken":"t","request_id":"r"}"#
        #expect(try CreateOrderRequest(json: JSONValue(parsing: Array(known.utf8)), options: .strict).requestID == "r")
        let unknown = #"{"customerId":"c","items":[],"currency":"USD","paymentToken":"t","requestId":"r","zone":1,"agent":2}"#
        do {
            _ = try CreateOrderRequest(json: JSONValue(parsing: Array(unknown.utf8)), options: .strict)
            Issue.record("unknown fields were accepted")
        } catch let error as ProtoJSONError {
            #expect("\(error)".contains(#"unknown fields "agent", "zone""#))
        }
        #expect(try CreateOrderRequest(json: JSONValue(parsing: Array(unknown.utf8)), options: ProtoJSONOptions(ignoreUnknownFields: true)).currency == "USD")
        // One field, read from a path: the common case.
        #expect(try GetOrderRequest(json: .object(["id": .string("x")]), options: .strict).id == "x")
        #expect(throws: ProtoJSONError.self) { try GetOrderRequest(json: .object(["id": .string("x"), "ID": .string("y")]), options: .strict) }
    }

    @Test("the JSON is written into one buffer, byte for byte what the text says")
    func writtenIntoBuffer() throws {
        for order in [Self.order, Order(), Order(id: "q\"\u{0}\u{2028}é", items: [LineItem()])] {
            let written = order.protoJSON
            #expect(Array(written.buffer.readableBytesView) == Array(order.jsonText.utf8))
            #expect(try Order(json: JSONValue(parsing: written.buffer.readableBytesView)) == order)
        }
    }

    @Test("ListOrdersResponse round-trips")
    func listResponse() throws {
        let response = ListOrdersResponse(orders: [Self.order, Order(id: "2")], nextPageToken: "t")
        var json = JSONWriter()
        response.write(to: &json)
        #expect(try ListOrdersResponse(json: JSONValue(parsing: Array(json.text.utf8))) == response)
    }

    @Test(
        "integers: strings, exponents and integral fractions are read; others refused",
        arguments: [
            ("\"42\"", Int64?(42)), ("4.2e1", 42), ("42.0", 42), ("-0", 0), ("1e2", 100),
            ("4.5", nil), ("\"x\"", nil), ("true", nil), ("9223372036854775808", nil), ("\"1 \"", nil),
        ])
    func integers(text: String, expected: Int64?) throws {
        let value = try JSONValue(parsing: Array(text.utf8))
        if let expected {
            #expect(try ProtoJSON.integer(value, at: "f") as Int64 == expected)
        } else {
            #expect(throws: ProtoJSONError.self) { try ProtoJSON.integer(value, at: "f") as Int64 }
        }
    }

    @Test("the legacy shape: lower-case state, skus, ISO dates")
    func legacy() throws {
        var json = JSONWriter()
        Self.order.writeLegacy(to: &json)
        #expect(
            try JSONValue(parsing: Array(json.text.utf8))
                == .object([
                    "_id": .string("3f2a"), "id": .string("3f2a"), "state": .string("cancelled"),
                    "orderItems": .array([.string("a"), .string("b")]),
                    "orderCreatedAt": .string("2023-11-14T22:13:20.000Z"), "__v": .number("0"),
                ]))
    }

    @Test(
        "ISO-8601 dates from Unix milliseconds",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00.000Z"), (951_782_400_001, "2000-02-29T00:00:00.001Z"),
            (-1, "1969-12-31T23:59:59.999Z"), (4_102_444_799_999, "2099-12-31T23:59:59.999Z"),
        ])
    func isoDates(millis: Int64, expected: String) {
        #expect(ISO8601Millis.string(fromUnixMillis: millis) == expected)
    }
}
