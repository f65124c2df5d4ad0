/// A JSON value for the OpenAPI document, rendered as a Swift literal of the gateway's
/// `OpenAPINode` (which is expressible by string, integer, boolean, array and dictionary literals).
indirect enum SpecValue {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case array([SpecValue])
    case object([(String, SpecValue)])

    /// The Swift literal, on one line.
    var swiftLiteral: String {
        switch self {
        case .string(let text): SwiftLiteral.string(text)
        case .integer(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .array(let elements): "[" + elements.map(\.swiftLiteral).joined(separator: ", ") + "]"
        case .object(let fields) where fields.isEmpty: "[:]"
        case .object(let fields): "[" + fields.map { "\(SwiftLiteral.string($0.0)): \($0.1.swiftLiteral)" }.joined(separator: ", ") + "]"
        }
    }

    /// `{"$ref": "#/components/schemas/<name>"}`.
    static func ref(_ name: String) -> SpecValue {
        .object([("$ref", .string("#/components/schemas/\(name)"))])
    }

    /// The object with a `description` added when there is a comment.
    func described(_ comment: String?) -> SpecValue {
        guard case .object(var fields) = self, let lines = DocComment.lines(comment) else { return self }
        fields.append(("description", .string(lines.joined(separator: " "))))
        return .object(fields)
    }
}

/// The OpenAPI schemas of fields, messages and enums, as protoc-gen-openapiv2 writes them for the
/// proto3 JSON mapping: 64-bit integers are strings (`format: int64`), enums are their names.
struct SchemaBuilder {
    var registry: TypeRegistry

    /// The name a message or enum has under `#/components/schemas/`: its Swift name.
    func schemaName(_ typeName: String) -> String {
        (registry.entry(typeName)?.swiftName ?? typeName).replacingDots()
    }

    /// The schema of one value of `field` (its element type for a repeated field).
    func elementSchema(_ field: ProtoField) -> SpecValue {
        switch field.kind {
        case .string: .object([("type", .string("string"))])
        case .bool: .object([("type", .string("boolean"))])
        case .int32, .sint32, .sfixed32: .object([("type", .string("integer")), ("format", .string("int32"))])
        case .uint32, .fixed32: .object([("type", .string("integer")), ("format", .string("int64"))])
        case .int64, .sint64, .sfixed64, .uint64, .fixed64: .object([("type", .string("string")), ("format", .string("int64"))])
        case .double, .float: .object([("type", .string("number"))])
        case .bytes: .object([("type", .string("string")), ("format", .string("byte"))])
        case .enum, .message, .group: .ref(schemaName(field.typeName))
        }
    }

    /// The schema of `field`: an array for a repeated one, with the field's comment.
    func fieldSchema(_ field: ProtoField) -> SpecValue {
        let element = elementSchema(field)
        if field.isRepeated {
            return SpecValue.object([("type", .string("array")), ("items", element)]).described(field.comment)
        }
        // A `$ref` takes no siblings in OpenAPI 3.0: a described reference goes through allOf.
        if case .object(let fields) = element, fields.first?.0 == "$ref", field.comment != nil {
            return SpecValue.object([("allOf", .array([element]))]).described(field.comment)
        }
        return element.described(field.comment)
    }

    /// A message: a closed object (the gateway refuses unknown fields) with every field.
    func messageSchema(_ message: ProtoMessage) -> SpecValue {
        let properties = message.fields.map { (JSONCodingEmitter.jsonName($0.name), fieldSchema($0)) }
        return SpecValue.object([
            ("type", .string("object")),
            ("additionalProperties", .bool(false)),
            ("properties", .object(properties)),
        ]).described(message.comment)
    }

    /// An enum: its value names.
    /// Proto3 JSON writes an enum by name but reads it by name or by number, so the schema
    /// offers both: a request carrying `state=2` is valid, and an answer always has the name.
    func enumSchema(_ enumeration: ProtoEnum) -> SpecValue {
        SpecValue.object([
            (
                "anyOf",
                .array([
                    .object([("type", .string("string")), ("enum", .array(enumeration.values.map { .string($0.name) }))]),
                    .object([("type", .string("integer")), ("enum", .array(enumeration.values.map { .integer(Int($0.number)) }))]),
                ])
            )
        ]).described(enumeration.comment)
    }
}

extension String {
    fileprivate func replacingDots() -> String {
        split(separator: ".").joined()
    }
}
