import Contracts
import InteropContracts
import RPC

/// Every generated message type, as a check of one input.
enum FuzzedTypes {
    static let all: [@Sendable ([UInt8]) -> Void] = [
        check(LineItem.self), check(Order.self), check(CreateOrderRequest.self), check(GetOrderRequest.self),
        check(CancelOrderRequest.self), check(ListOrdersRequest.self), check(ListOrdersResponse.self),
        check(WatchOrderRequest.self), check(Payment.self), check(ProcessPaymentRequest.self),
        check(RefundPaymentRequest.self), check(GetPaymentRequest.self), check(HealthCheckRequest.self),
        check(HealthCheckResponse.self), check(Empty.self), check(BoolValue.self), check(Payload.self),
        check(EchoStatus.self), check(SimpleRequest.self), check(SimpleResponse.self),
        check(StreamingInputCallRequest.self), check(StreamingInputCallResponse.self),
        check(ResponseParameters.self), check(StreamingOutputCallRequest.self), check(StreamingOutputCallResponse.self),
        check(ServerReflectionRequest.self), check(ExtensionRequest.self), check(ServerReflectionResponse.self),
        check(FileDescriptorResponse.self), check(ExtensionNumberResponse.self), check(ListServiceResponse.self),
        check(ServiceResponse.self), check(ErrorResponse.self),
    ]

    private static func check<Message: RPCMessage & Equatable>(_ type: Message.Type) -> @Sendable ([UInt8]) -> Void {
        { bytes in
            let message: Message
            do {
                message = try Message(serializedBytes: bytes)
            } catch is MessageDecodingError {
                return
            } catch {
                fatalError("\(type) threw \(error), not MessageDecodingError")
            }
            guard let again = try? Message(serializedBytes: message.serializedBytes()), again == message else {
                fatalError("\(type) does not survive a re-encode: \(message)")
            }
        }
    }
}
