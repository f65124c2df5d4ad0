import Contracts
import InteropContracts

/// The generated enums, seen through what proto3 JSON needs of them.
protocol ProtoEnum {
    var protoName: String { get }
    var rawValue: Int32 { get }
}

extension OrderState: ProtoEnum {}
extension CancelReason: ProtoEnum {}
extension PaymentStatus: ProtoEnum {}
extension HealthCheckResponse.ServingStatus: ProtoEnum {}
extension PayloadType: ProtoEnum {}
extension GrpclbRouteType: ProtoEnum {}

/// Writes a generated message as proto3 JSON the way Python's `MessageToDict` does with
/// `always_print_fields_with_no_presence`: lowerCamelCase keys, 64-bit integers as strings,
/// bytes as base64, enums by name (an unknown value by number), absent messages left out.
/// Keys are sorted, so equal messages print equal text.
enum JSONDump {
    static func object(_ message: Any) -> String {
        let fields = Mirror(reflecting: message).children.compactMap { child -> String? in
            guard let label = child.label, let value = value(child.value) else { return nil }
            return "\(quote(jsonName(label))): \(value)"
        }
        return "{" + fields.sorted().joined(separator: ", ") + "}"
    }

    /// nil for an absent message field.
    private static func value(_ value: Any) -> String? {
        switch value {
        case let text as String: return quote(text)
        case let flag as Bool: return flag ? "true" : "false"
        case let number as Int32: return String(number)
        case let number as UInt32: return String(number)
        case let number as Int64: return quote(String(number))
        case let number as UInt64: return quote(String(number))
        case let number as Double: return number.isFinite ? "\(number)" : quote(number.isNaN ? "NaN" : number > 0 ? "Infinity" : "-Infinity")
        case let number as Float: return self.value(Double(number))
        // An empty array of anything casts to [UInt8]: compare the type itself.
        case let bytes as [UInt8] where type(of: value) == [UInt8].self: return quote(base64(bytes))
        case let enumeration as ProtoEnum:
            return Int(enumeration.protoName) == nil ? quote(enumeration.protoName) : String(enumeration.rawValue)
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional: return mirror.children.first.flatMap { self.value($0.value) }
        case .collection: return "[" + mirror.children.compactMap { self.value($0.value) }.joined(separator: ", ") + "]"
        default: return object(value)
        }
    }

    /// `customerID` → `customerId`, as protoc's json_name for `customer_id`.
    private static func jsonName(_ label: String) -> String {
        label.replacing("IDs", with: "Ids").replacing("ID", with: "Id")
    }

    private static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var result = ""
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = Array(bytes[start..<min(start + 3, bytes.count)]) + [0, 0]
            let bits = UInt32(chunk[0]) << 16 | UInt32(chunk[1]) << 8 | UInt32(chunk[2])
            let count = min(3, bytes.count - start)
            for index in 0..<4 {
                result.append(index <= count ? alphabet[Int(bits >> (18 - 6 * UInt32(index)) & 0x3f)] : "=")
            }
        }
        return result
    }
}
