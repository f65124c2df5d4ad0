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
