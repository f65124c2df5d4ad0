/// A field resolved for emission: its Swift name and type, its default, and the expressions
/// that carry it across to protoc-c's C struct and back.
struct FieldMapping {
    /// How one value of the field is represented on each side.
    enum Value {
        /// Integers and floating point: the same type in Swift and C.
        case number(swiftType: String)
        /// `protobuf_c_boolean` (an `int`) in C.
        case bool
        /// `char *` in C.
        case string
        /// `ProtobufCBinaryData` in C.
        case bytes
        /// A C enum type (`UInt32` raw values, or `Int32` with negative values) ↔ a generated enum.
        case enumeration(swiftType: String, cType: String, defaultCase: String)
        /// A pointer to a C struct ↔ a generated struct.
        case message(swiftType: String)
    }

    var field: ProtoField
    /// The property (or oneof case) name, escaped when it is a keyword.
    var swiftName: String
    var value: Value
    /// The member of the C struct.
    var cMember: String

    init(_ field: ProtoField, in message: ProtoMessage, registry: TypeRegistry) throws {
        let owner = "field \(message.fullName).\(field.name)"
        self.field = field
        self.swiftName = SwiftNames.identifier(SwiftNames.property(field.name))
        self.cMember = CNames.member(field.name)
        switch field.kind {
        case .double: value = .number(swiftType: "Double")
        case .float: value = .number(swiftType: "Float")
        case .int64, .sint64, .sfixed64: value = .number(swiftType: "Int64")
        case .uint64, .fixed64: value = .number(swiftType: "UInt64")
        case .int32, .sint32, .sfixed32: value = .number(swiftType: "Int32")
        case .uint32, .fixed32: value = .number(swiftType: "UInt32")
        case .bool: value = .bool
        case .string: value = .string
        case .bytes: value = .bytes
        case .group:
            throw GeneratorError("\(owner) is a group, which proto3 does not have")
        case .enum:
            let entry = try registry.generatedEntry(field.typeName, usedBy: owner)
            guard case .enumeration(let enumeration) = entry.declaration,
                let zero = enumeration.values.first(where: { $0.number == 0 })
            else {
                throw GeneratorError("\(owner): \(field.typeName) is not a proto3 enum with a zero value")
            }
            value = .enumeration(
                swiftType: entry.swiftName, cType: CNames.type(enumeration.fullName),
                defaultCase: SwiftNames.identifier(SwiftNames.enumCase(zero.name, enumName: enumeration.name)))
        case .message:
            let (nested, entry) = try registry.message(field.typeName, usedBy: owner)
            if nested.isMapEntry {
                throw GeneratorError("\(owner) is a map, which protoc-gen-orderhub does not support yet")
            }
            value = .message(swiftType: entry.swiftName)
        }
    }

    /// The element's Swift type.
    var elementType: String {
        switch value {
        case .number(let swiftType): swiftType
        case .bool: "Bool"
        case .string: "String"
        case .bytes: "[UInt8]"
        case .enumeration(let swiftType, _, _): swiftType
        case .message(let swiftType): swiftType
        }
    }

    /// The property's Swift type: arrays for repeated fields, optionals for message fields.
    var swiftType: String {
        if field.isRepeated { return "[\(elementType)]" }
        if case .message = value { return elementType + "?" }
        return elementType
    }

    /// The proto3 default, used as the memberwise initializer's default argument.
    var defaultValue: String {
        if field.isRepeated { return "[]" }
        switch value {
        case .number: return "0"
        case .bool: return "false"
        case .string: return "\"\""
        case .bytes: return "[]"
        case .enumeration(_, _, let defaultCase): return "." + defaultCase
        case .message: return "nil"
        }
    }

    // MARK: Swift → C (inside `cMessage(in arena:)`, where the C struct is `c`)

    /// The statement that stores the field into `c`.
    var packStatement: String {
        let target = "c.\(cMember)"
        guard field.isRepeated else { return "\(target) = \(packExpression(swiftName))" }
        let targets = "(c.n_\(cMember), \(target))"
        switch value {
        case .number: return "\(targets) = arena.array(\(swiftName))"
        case .bool: return "\(targets) = arena.array(\(swiftName)) { $0 ? 1 : 0 }"
        case .string: return "\(targets) = arena.strings(\(swiftName), field: \(field.number), of: &c.base)"
        case .bytes: return "\(targets) = arena.array(\(swiftName)) { arena.bytes($0) }"
        case .enumeration(_, let cType, _):
            return "\(targets) = arena.array(\(swiftName)) { \(cType)(rawValue: .init(truncatingIfNeeded: $0.rawValue)) }"
        case .message: return "\(targets) = arena.messages(\(swiftName)) { $0.cMessage(in: arena) }"
        }
    }

    /// The C value of one Swift value (a singular field, or the payload of a oneof case).
    func packExpression(_ swift: String) -> String {
        switch value {
        case .number: swift
        case .bool: "\(swift) ? 1 : 0"
        case .string: "arena.string(\(swift), field: \(field.number), of: &c.base)"
        case .bytes: "arena.bytes(\(swift))"
        case .enumeration(_, let cType, _): "\(cType)(rawValue: .init(truncatingIfNeeded: \(swift).rawValue))"
        case .message:
            field.oneofIndex == nil
                ? "arena.message(\(swift)?.cMessage(in: arena))" : "arena.message(\(swift).cMessage(in: arena))"
        }
    }

    // MARK: C → Swift (inside `init(_ c:from unpacker:)`)

    /// The Swift value of the field read from `c`.
    var unpackExpression: String {
        let member = "c.\(cMember)"
        guard field.isRepeated else { return unpackValue(member) }
        let counted = "\(member), count: c.n_\(cMember)"
        switch value {
        case .number: return "unpacker.array(\(counted))"
        case .bool: return "unpacker.array(\(counted)) { $0 != 0 }"
        case .string: return "try unpacker.strings(\(counted))"
        case .bytes: return "unpacker.array(\(counted)) { unpacker.bytes($0) }"
        case .enumeration(let swiftType, _, _):
            return "unpacker.array(\(counted)) { \(swiftType)(rawValue: Int32(truncatingIfNeeded: $0.rawValue)) }"
        case .message(let swiftType):
            return "try unpacker.messages(\(counted)) { try \(swiftType)($0, from: unpacker) }"
        }
    }

    /// The Swift value of one C value; a message inside a oneof must be present.
    func unpackValue(_ member: String) -> String {
        switch value {
        case .number: member
        case .bool: "\(member) != 0"
        case .string: "try unpacker.string(\(member))"
        case .bytes: "unpacker.bytes(\(member))"
        case .enumeration(let swiftType, _, _): "\(swiftType)(rawValue: Int32(truncatingIfNeeded: \(member).rawValue))"
        case .message(let swiftType):
            field.oneofIndex == nil
                ? "try unpacker.message(\(member)) { try \(swiftType)($0, from: unpacker) }"
                : "try unpacker.requiredMessage(\(member)) { try \(swiftType)($0, from: unpacker) }"
        }
    }
}
