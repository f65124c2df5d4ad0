/// Writes the proto3 JSON coding of the messages the REST gateway sends and receives
/// (protobuf.dev "ProtoJSON format"): an `init(json:path:options:)` that reads lowerCamelCase or
/// proto names and `null` as the default, and a `write(to:)` that writes every field, defaults
/// included, with lowerCamelCase names, enums by name and 64-bit integers as strings.
///
/// The code runs on the gateway's hand-written JSON layer (`ProtoJSONObject`, `JSONWriter`).
struct JSONCodingEmitter {
    var registry: TypeRegistry

    /// The JSON name protoc derives from a field name: `unit_price_cents` → `unitPriceCents`.
    static func jsonName(_ protoName: String) -> String {
        CNames.camelCase(protoName, upperFirst: false)
    }

    /// `extension <Enum>: ProtoJSONEnum {}` for an enum the messages use.
    func emitEnumConformance(_ swiftName: String, into writer: inout CodeWriter) {
        writer.line("extension \(swiftName): ProtoJSONEnum {}")
    }

    func emit(_ message: ProtoMessage, into writer: inout CodeWriter) throws {
        let layout = try MessageLayout(message, registry: registry)
        guard layout.oneofs.isEmpty else {
            throw GeneratorError("\(message.fullName) has a oneof, which the REST mapping does not support yet")
        }
        for field in layout.fields {
            if case .number(let type) = field.value, type == "Double" || type == "Float" {
                throw GeneratorError("\(message.fullName).\(field.field.name) is floating point, which the REST mapping does not support yet")
            }
        }
        writer.block("extension \(layout.swiftName): ProtoJSONMessage") { writer in
            writer.line("/// Reads `\(message.fullName)` from proto3 JSON: each field by its lowerCamelCase or proto name,")
            writer.line("/// `null` as the default; unknown fields are refused unless `options` ignores them.")
            writer.block("init(json: JSONValue, path: String = \"\", options: ProtoJSONOptions = .strict) throws") { writer in
                guard !layout.fields.isEmpty else {
                    writer.line("try ProtoJSONObject(json, path: path, options: options).finish()")
                    writer.line("self.init()")
                    return
                }
                writer.line("var object = try ProtoJSONObject(json, path: path, options: options)")
                writer.line("self.init(")
                for (index, field) in layout.fields.enumerated() {
                    let comma = index == layout.fields.count - 1 ? "" : ","
                    writer.line("    \(field.swiftName): \(readExpression(field))\(comma)")
                }
                writer.line(")")
                writer.line("try object.finish()")
            }
            writer.line()
            writer.line("/// Writes proto3 JSON: every field, defaults included (as grpc-gateway does), so clients never")
            writer.line("/// miss one; lowerCamelCase names, enums by name, 64-bit integers as strings.")
            writer.block("func write(to json: inout JSONWriter)") { writer in
                guard !layout.fields.isEmpty else { return writer.line("json.object { _ in }") }
                writer.line("json.object { json in")
                for field in layout.fields {
                    writer.line("    json.field(\"\(Self.jsonName(field.field.name))\") { \(writeStatement(field, value: "self." + field.swiftName)) }")
                }
                writer.line("}")
            }
        }
    }

    /// `try object.<reader>("jsonName", "proto_name")` for one field.
    private func readExpression(_ field: FieldMapping) -> String {
        let names = "\"\(Self.jsonName(field.field.name))\", \"\(field.field.name)\""
        if field.field.isRepeated {
            return "try object.repeated(\(names)) { value, path, options in try \(elementReader(field, value: "value", path: "path", options: "options")) }"
        }
        switch field.value {
        case .string: return "try object.string(\(names))"
        case .bool: return "try object.bool(\(names))"
        case .number(let type): return "try object.integer(\(names), as: \(type).self)"
        case .enumeration(let type, _, _): return "try object.enumeration(\(names), as: \(type).self)"
        case .message(let type): return "try object.message(\(names), as: \(type).self)"
        case .bytes: return "try object.bytes(\(names))"
        }
    }

    private func elementReader(_ field: FieldMapping, value: String, path: String, options: String) -> String {
        switch field.value {
        case .string: "ProtoJSON.string(\(value), at: \(path))"
        case .bool: "ProtoJSON.bool(\(value), at: \(path))"
        case .number: "ProtoJSON.integer(\(value), at: \(path))"
        case .enumeration: "ProtoJSON.enumeration(\(value), at: \(path), options: \(options))"
        case .message(let type): "\(type)(json: \(value), path: \(path), options: \(options))"
        case .bytes: "ProtoJSON.bytes(\(value), at: \(path))"
        }
    }

    /// The closure body that writes one field's value to `$0`.
    private func writeStatement(_ field: FieldMapping, value: String) -> String {
        if field.field.isRepeated {
            return "json in json.array { json in for element in \(value) { \(elementWriter(field, value: "element", writer: "json")) } }"
        }
        if case .message = field.value {
            return "json in if let value = \(value) { value.write(to: &json) } else { json.null() }"
        }
        return elementWriter(field, value: value, writer: "$0")
    }

    private func elementWriter(_ field: FieldMapping, value: String, writer: String) -> String {
        switch field.value {
        case .string: return "\(writer).string(\(value))"
        case .bool: return "\(writer).bool(\(value))"
        case .number(let type) where type == "Int64" || type == "UInt64": return "\(writer).string(String(\(value)))"
        case .number: return "\(writer).integer(\(value))"
        case .enumeration: return "\(writer).enumeration(\(value))"
        case .message: return "\(value).write(to: &\(writer))"
        case .bytes: return "\(writer).string(Base64.encode(\(value)))"
        }
    }
}
