/// One field of a message.
struct ProtoField {
    /// The wire types protoc knows, numbered as in `FieldDescriptorProto.Type`.
    enum Kind: Int32 {
        case double = 1, float, int64, uint64, int32, fixed64, fixed32, bool, string, group, message, bytes,
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
