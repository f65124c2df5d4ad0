import Contracts

/// A generated enum as the proto3 JSON mapping sees it: written by name, read by name or number.
protocol ProtoJSONEnum: CaseIterable {
    init(rawValue: Int32)
    init?(protoName: String)
    var protoName: String { get }
    var rawValue: Int32 { get }
}

extension JSONWriter {
    /// Writes an enum by name, or by number when this build does not know the value.
    mutating func enumeration<E: ProtoJSONEnum>(_ value: E) {
        if E(protoName: value.protoName) != nil {
            string(value.protoName)
        } else {
            integer(value.rawValue)
        }
    }
}

extension OrderState: ProtoJSONEnum {}
extension CancelReason: ProtoJSONEnum {}
