/// A `.proto` file as the generator sees it, copied out of protoc's `FileDescriptorProto`.
struct ProtoFile {
    /// The path protoc knows the file by, e.g. `orderhub/v1/orders.proto`.
    var name: String
    /// The package, e.g. `orderhub.v1`; empty when the file has none.
    var package: String
    /// `proto3`, `proto2` (protoc leaves it empty for proto2), or `editions`.
    var syntax: String
    var messages: [ProtoMessage]
    var enums: [ProtoEnum]
    var services: [ProtoService]
    /// The paths of the files it imports.
    var dependencies: [String] = []
    /// Its top-level extension fields.
    var extensions: [ProtoExtension] = []
    /// Its `FileDescriptorProto`, serialized without source comments (for server reflection).
    var serializedDescriptor: [UInt8] = []
}
