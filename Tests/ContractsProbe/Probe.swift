#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Contracts
import InteropContracts
import RPC

enum Probe {
    /// Every message type the probe decodes, by fully qualified proto name.
    static let types: [String: any RPCMessage.Type] = [
        "orderhub.v1.LineItem": LineItem.self, "orderhub.v1.Order": Order.self,
        "orderhub.v1.CreateOrderRequest": CreateOrderRequest.self, "orderhub.v1.GetOrderRequest": GetOrderRequest.self,
        "orderhub.v1.CancelOrderRequest": CancelOrderRequest.self, "orderhub.v1.ListOrdersRequest": ListOrdersRequest.self,
        "orderhub.v1.ListOrdersResponse": ListOrdersResponse.self, "orderhub.v1.WatchOrderRequest": WatchOrderRequest.self,
        "orderhub.v1.Payment": Payment.self, "orderhub.v1.ProcessPaymentRequest": ProcessPaymentRequest.self,
        "orderhub.v1.RefundPaymentRequest": RefundPaymentRequest.self, "orderhub.v1.GetPaymentRequest": GetPaymentRequest.self,
        "grpc.health.v1.HealthCheckRequest": HealthCheckRequest.self, "grpc.health.v1.HealthCheckResponse": HealthCheckResponse.self,
        "grpc.testing.SimpleRequest": SimpleRequest.self, "grpc.testing.SimpleResponse": SimpleResponse.self,
        "grpc.testing.StreamingOutputCallRequest": StreamingOutputCallRequest.self,
    ]

    static func fail(_ message: String, status: Int32 = 1) -> Never {
        let text = "contracts-probe: \(message)\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
        exit(status)
    }
}

/// Lower-case hex, two digits a byte.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xf)]] })
    }

    static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
