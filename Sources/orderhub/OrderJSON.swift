import Contracts
#if canImport(Glibc)
import Glibc
#endif

/// An order as one line of proto3 JSON: lowerCamelCase names, enums by name, int64 as strings,
/// default values left out.
enum OrderJSON {
    static func print(_ order: Order) {
        Console.out(line(order) + "\n")
    }

    static func line(_ order: Order) -> String {
        var fields: [String] = []
        func add(_ name: String, _ value: String) { fields.append("\"\(name)\":\(value)") }
        func text(_ name: String, _ value: String) { if !value.isEmpty { add(name, quoted(value)) } }
        func int64(_ name: String, _ value: Int64) { if value != 0 { add(name, "\"\(value)\"") } }
        text("id", order.id)
        add("state", quoted(order.state.protoName))
        text("customerId", order.customerID)
        let items = order.items.map { item in
            "{\"sku\":\(quoted(item.sku)),\"quantity\":\(item.quantity),\"unitPriceCents\":\"\(item.unitPriceCents)\"}"
        }
        add("items", "[" + items.joined(separator: ",") + "]")
        int64("totalCents", order.totalCents)
        text("currency", order.currency)
        if order.cancelReason != .unspecified { add("cancelReason", quoted(order.cancelReason.protoName)) }
        text("paymentId", order.paymentID)
        int64("createdAt", order.createdAt)
        int64("updatedAt", order.updatedAt)
        int64("deliverAt", order.deliverAt)
        text("requestId", order.requestID)
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
