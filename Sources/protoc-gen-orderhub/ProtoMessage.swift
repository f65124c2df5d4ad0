/// A message declaration, with its nested declarations.
struct ProtoMessage {
    /// The name as declared, e.g. `LineItem`.
    var name: String
    /// The fully qualified name without a leading dot, e.g. `orderhub.v1.LineItem`.
    var fullName: String
    var fields: [ProtoField]
    /// Real oneofs, in declaration order (a field's `oneofIndex` points here).
    var oneofs: [String]
    var messages: [ProtoMessage]
    var enums: [ProtoEnum]
    /// protoc's synthetic entry message of a `map<K, V>` field.
    var isMapEntry: Bool
    /// The leading comment in the `.proto` file, if any.
    var comment: String?
}

/// One field of a message.
struct ProtoField {
    /// The wire types protoc knows, numbered as in `FieldDescriptorProto.Type`.
    enum Kind: Int32 {
        case double = 1
        case float, int64, uint64, int32, fixed64, fixed32, bool, string, group, message, bytes,
            uint32, `enum`, sfixed32, sfixed64, sint32, sint64
    }

    /// The name as declared, e.g. `unit_price_cents`.
    var name: String
    var number: Int32
    var kind: Kind
    var isRepeated: Bool
    /// proto2's `required`; proto3 has none.
    var isRequired: Bool
    /// For messages and enums, the fully qualified type name with a leading dot.
    var typeName: String
    /// The index into the message's `oneofs` when the field belongs to one.
    var oneofIndex: Int?
    /// A proto3 `optional` field (a synthetic oneof).
    var isProto3Optional: Bool
    var comment: String?
}

/// An enum declaration.
struct ProtoEnum {
    /// One named value.
    struct Value {
        var name: String
        var number: Int32
        var comment: String?
    }

    var name: String
    /// The fully qualified name without a leading dot, e.g. `orderhub.v1.OrderState`.
    var fullName: String
    var values: [Value]
    /// `option allow_alias = true`: several names may share a number.
    var allowsAliases: Bool
    var comment: String?
}
