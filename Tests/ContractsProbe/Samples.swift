import Contracts
import InteropContracts
import RPC

/// Named sample messages; Tests/python/contracts/samples.py builds the same values in Python.
enum Samples {
    struct Sample {
        var name: String
        var message: any RPCMessage
    }

    static let all: [Sample] = [
        Sample(name: "order_empty", message: Order()),
        Sample(
            name: "order_full",
            message: Order(
                id: "0b7c7f4e-2f7e-4a51-9a55-6f0d1c6f1d2a", state: .confirmed, customerID: "customer-42",
                items: [
                    LineItem(sku: "sku-1", quantity: 2, unitPriceCents: 1999),
                    LineItem(sku: "sku-2", quantity: 1, unitPriceCents: 0),
                ],
                totalCents: 3998, currency: "EUR", cancelReason: .unspecified, paymentID: "pay-7",
                createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_500, deliverAt: 1_700_000_005_500, requestID: "req-1")),
        Sample(
            name: "order_unicode",
            message: Order(
                id: "Grüße 日本 😀 𝄞", customerID: "🇩🇪🇯🇵", items: [LineItem(sku: "ümlaut-ß")], currency: "€",
                paymentID: "\u{FEFF}bom", requestID: "\u{10FFFF}")),
        Sample(
            name: "order_nul",
            message: Order(
                id: "a\u{0}b", customerID: "\u{0}", items: [LineItem(sku: "x\u{0}y", quantity: 1)], currency: "EUR")),
        Sample(
            name: "order_limits",
            message: Order(
                state: .unrecognized(99),
                items: [
                    LineItem(sku: "max", quantity: .max, unitPriceCents: .max),
                    LineItem(sku: "min", quantity: .min, unitPriceCents: .min),
                    LineItem(sku: "minus-one", quantity: -1, unitPriceCents: -1),
                ],
                totalCents: .min, cancelReason: .unrecognized(-7), createdAt: .max, updatedAt: -1)),
        Sample(name: "order_cancelled", message: Order(id: "o-1", state: .cancelled, cancelReason: .paymentDeclined)),
        Sample(
            name: "order_many_items",
            message: Order(
                id: "many", items: (0..<1_000).map { LineItem(sku: "sku-\($0)", quantity: Int32($0 % 9), unitPriceCents: Int64($0) * 250) })),
        Sample(
            name: "create_order_request",
            message: CreateOrderRequest(
                customerID: "customer-42", items: [LineItem(sku: "sku-1", quantity: 3, unitPriceCents: 500)], currency: "USD",
                paymentToken: "tok_approve", requestID: "3f2b1d4e-idem")),
        Sample(
            name: "list_orders_request",
            message: ListOrdersRequest(
                pageSize: 50, pageToken: "cursor==", state: .delivered, customerID: "c-9")),
        Sample(
            name: "list_orders_response",
            message: ListOrdersResponse(
                orders: [Order(id: "o-1", state: .created), Order(id: "o-2", state: .delivered, items: [LineItem(sku: "s")])],
                nextPageToken: "next")),
        Sample(
            name: "payment_declined",
            message: Payment(
                id: "pay-1", orderID: "o-1", status: .declined, amountCents: 12_345, currency: "EUR",
                declineReason: "insufficient funds", createdAt: 1, updatedAt: 2)),
        Sample(name: "refund_payment_request", message: RefundPaymentRequest(paymentID: "pay-1", reason: "user cancel")),
        Sample(name: "health_serving", message: HealthCheckResponse(status: .serving)),
        Sample(name: "health_service_unknown", message: HealthCheckResponse(status: .serviceUnknown)),
        Sample(
            name: "simple_request",
            message: SimpleRequest(
                responseType: .compressable, responseSize: 314_159, payload: Payload(body: [0, 1, 2, 0xfe, 0xff]),
                fillUsername: true, responseCompressed: BoolValue(value: false),
                responseStatus: EchoStatus(code: 2, message: "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"))),
        Sample(
            name: "streaming_output_call_request",
            message: StreamingOutputCallRequest(
                responseParameters: [31415, 9, 2653, 58979].map { ResponseParameters(size: $0) },
                payload: Payload(body: []))),
    ]
}
