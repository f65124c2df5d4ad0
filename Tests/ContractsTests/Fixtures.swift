import Contracts
import InteropContracts
import RPC
import Testing

extension LineItem {
    static func make(sku: String = "sku-1", quantity: Int32 = 2, unitPriceCents: Int64 = 1999) -> LineItem {
        LineItem(sku: sku, quantity: quantity, unitPriceCents: unitPriceCents)
    }
}

extension Order {
    /// An order with every field set.
    static func make(
        id: String = "0b7c7f4e-2f7e-4a51-9a55-6f0d1c6f1d2a", state: OrderState = .confirmed,
        items: [LineItem] = [.make(), .make(sku: "sku-2", quantity: 1, unitPriceCents: 0)]
    ) -> Order {
        Order(
            id: id, state: state, customerID: "customer-42", items: items, totalCents: 3998, currency: "EUR",
            cancelReason: .unspecified, paymentID: "pay-7", createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_500,
            deliverAt: 1_700_000_005_500, requestID: "request-1")
    }
}

extension Payment {
    static func make(status: PaymentStatus = .approved) -> Payment {
        Payment(
            id: "pay-7", orderID: "order-1", status: status, amountCents: 3998, currency: "EUR",
            declineReason: "", createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_100, refundedAt: 0)
    }
}

/// Encodes, decodes, and checks the copy equals the original; returns the bytes.
@discardableResult
func expectRoundTrip<Message: RPCMessage & Equatable>(
    _ message: Message, sourceLocation: SourceLocation = #_sourceLocation
) throws -> [UInt8] {
    let bytes = message.serializedBytes()
    let decoded = try Message(serializedBytes: bytes)
    #expect(decoded == message, sourceLocation: sourceLocation)
    return bytes
}

/// A small deterministic generator (SplitMix64), so failures reproduce.
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

/// Every message type of both generated modules, as a decoder that throws what the type throws.
struct AnyDecoder: Sendable, CustomStringConvertible {
    let description: String
    let decode: @Sendable ([UInt8]) throws -> Void

    init<Message: RPCMessage>(_ type: Message.Type) {
        description = String(describing: type)
        decode = { _ = try Message(serializedBytes: $0) }
    }

    static let all: [AnyDecoder] = [
        AnyDecoder(LineItem.self), AnyDecoder(Order.self), AnyDecoder(CreateOrderRequest.self),
        AnyDecoder(GetOrderRequest.self), AnyDecoder(CancelOrderRequest.self), AnyDecoder(ListOrdersRequest.self),
        AnyDecoder(ListOrdersResponse.self), AnyDecoder(WatchOrderRequest.self), AnyDecoder(Payment.self),
        AnyDecoder(ProcessPaymentRequest.self), AnyDecoder(RefundPaymentRequest.self), AnyDecoder(GetPaymentRequest.self),
        AnyDecoder(HealthCheckRequest.self), AnyDecoder(HealthCheckResponse.self),
        AnyDecoder(Empty.self), AnyDecoder(BoolValue.self), AnyDecoder(Payload.self), AnyDecoder(EchoStatus.self),
        AnyDecoder(SimpleRequest.self), AnyDecoder(SimpleResponse.self), AnyDecoder(StreamingInputCallRequest.self),
        AnyDecoder(StreamingInputCallResponse.self), AnyDecoder(ResponseParameters.self),
        AnyDecoder(StreamingOutputCallRequest.self), AnyDecoder(StreamingOutputCallResponse.self),
    ]
}
