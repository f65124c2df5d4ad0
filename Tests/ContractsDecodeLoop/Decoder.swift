import Contracts
import InteropContracts
import RPC

/// One generated message type, checked on one input.
struct Decoder: Sendable {
    let name: String
    /// Decodes; on success encodes the result again and checks it decodes to the same value.
    let check: @Sendable ([UInt8]) throws -> Void

    init<Message: RPCMessage & Equatable>(_ type: Message.Type) {
        name = String(describing: type)
        check = { bytes in
            let message = try Message(serializedBytes: bytes)
            let again = try Message(serializedBytes: message.serializedBytes())
            guard again == message else { throw RoundTripMismatch() }
        }
    }

    struct RoundTripMismatch: Error {}

    static let all: [Decoder] = [
        Decoder(LineItem.self), Decoder(Order.self), Decoder(CreateOrderRequest.self), Decoder(GetOrderRequest.self),
        Decoder(CancelOrderRequest.self), Decoder(ListOrdersRequest.self), Decoder(ListOrdersResponse.self),
        Decoder(WatchOrderRequest.self), Decoder(Payment.self), Decoder(ProcessPaymentRequest.self),
        Decoder(RefundPaymentRequest.self), Decoder(GetPaymentRequest.self), Decoder(HealthCheckRequest.self),
        Decoder(HealthCheckResponse.self), Decoder(Empty.self), Decoder(BoolValue.self), Decoder(Payload.self),
        Decoder(EchoStatus.self), Decoder(SimpleRequest.self), Decoder(SimpleResponse.self),
        Decoder(StreamingInputCallRequest.self), Decoder(StreamingInputCallResponse.self),
        Decoder(ResponseParameters.self), Decoder(StreamingOutputCallRequest.self),
        Decoder(StreamingOutputCallResponse.self), Decoder(ServerReflectionRequest.self), Decoder(ExtensionRequest.self),
        Decoder(ServerReflectionResponse.self), Decoder(FileDescriptorResponse.self), Decoder(ExtensionNumberResponse.self),
        Decoder(ListServiceResponse.self), Decoder(ServiceResponse.self), Decoder(ErrorResponse.self),
    ]
}
