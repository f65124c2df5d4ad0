/// A message resolved for emission: its Swift name, its plain fields, and its oneofs.
struct MessageLayout {
    /// A `oneof`: one optional Swift enum property with a case per field.
    struct Oneof {
        var protoName: String
        /// The property, e.g. `paymentMethod`.
        var propertyName: String
        /// The nested enum, e.g. `PaymentMethod`.
        var typeName: String
        var fields: [FieldMapping]
    }

    var message: ProtoMessage
    /// The Swift type, nested names joined with dots.
    var swiftName: String
    /// The Swift name of the message's own declaration (`ServingStatus` in `HealthCheckResponse.ServingStatus`).
    var localName: String
    /// Fields that are properties of their own, in declaration order.
    var fields: [FieldMapping]
    var oneofs: [Oneof]
    /// The C struct type and its function prefix.
    var cType: String
    var cFunctionPrefix: String

    init(_ message: ProtoMessage, registry: TypeRegistry) throws {
        self.message = message
        guard let entry = registry.entry(message.fullName) else {
            throw GeneratorError("\(message.fullName) is not registered")
        }
        swiftName = entry.swiftName
        localName = message.name
        cType = CNames.type(message.fullName)
        cFunctionPrefix = CNames.functionPrefix(message.fullName)

        let mapped = try message.fields.map { try FieldMapping($0, in: message, registry: registry) }
        for field in message.fields where field.isRequired {
            throw GeneratorError("\(message.fullName).\(field.name) is `required`; only proto3 files are supported")
        }
        fields = mapped.filter { $0.field.oneofIndex == nil }
        oneofs = message.oneofs.enumerated().map { index, name in
            Oneof(
                protoName: name,
                propertyName: SwiftNames.identifier(SwiftNames.property(name)),
                typeName: SwiftNames.typeName(name),
                fields: mapped.filter { $0.field.oneofIndex == index })
        }
        try checkNames()
    }

    /// Two members that would get one Swift name are a generation error, not a compile error later.
    private func checkNames() throws {
        var properties: [String: String] = [:]
        for (swift, proto) in fields.map({ ($0.swiftName, $0.field.name) }) + oneofs.map({ ($0.propertyName, $0.protoName) }) {
            if let other = properties.updateValue(proto, forKey: swift) {
                throw GeneratorError("\(message.fullName): `\(other)` and `\(proto)` both become the Swift property `\(swift)`")
            }
        }
        var types = Set(message.messages.map(\.name) + message.enums.map(\.name))
        for oneof in oneofs where !types.insert(oneof.typeName).inserted {
            throw GeneratorError(
                "\(message.fullName): oneof `\(oneof.protoName)` becomes the Swift enum `\(oneof.typeName)`, "
                    + "which a nested declaration already names")
        }
        if (fields.map(\.swiftName) + oneofs.map(\.propertyName)).contains("serializedBytes") {
            throw GeneratorError("\(message.fullName): a field named `serialized_bytes` would hide the RPCMessage API")
        }
    }
}
