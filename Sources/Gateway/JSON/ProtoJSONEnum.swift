/// A generated enum as the proto3 JSON mapping sees it: written by name, read by name or number.
/// protoc-gen-orderhub declares the conformance of each enum the REST mapping uses.
protocol ProtoJSONEnum: CaseIterable {
    init(rawValue: Int32)
    init?(protoName: String)
    var protoName: String { get }
    var rawValue: Int32 { get }
}

extension ProtoJSONEnum {
    /// The value a query parameter names: the proto name, the number, or the name without the
    /// prefix every value shares, in any case (`created` for `ORDER_STATE_CREATED`). A value
    /// this build does not know can only be a mistake in a query, so it is refused.
    static func fromQuery(_ text: String, at path: String) throws -> Self {
        if let known = Self(protoName: text) { return known }
        if let number = Int32(text) {
            let value = Self(rawValue: number)
            guard Self(protoName: value.protoName) != nil else { throw ProtoJSONError("\(path): unknown value \(number)") }
            return value
        }
        let names = allCases.map(\.protoName)
        var prefix = names.first ?? ""
        for name in names.dropFirst() { prefix = String(prefix.commonPrefix(with: name)) }
        prefix = String(prefix[..<(prefix.lastIndex(of: "_").map { prefix.index(after: $0) } ?? prefix.startIndex)])
        if let known = allCases.first(where: { $0.protoName.dropFirst(prefix.count).lowercased() == text.lowercased() }) {
            return known
        }
        throw ProtoJSONError("\(path): unknown value \"\(text)\"; expected one of \(names.joined(separator: ", "))")
    }
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
