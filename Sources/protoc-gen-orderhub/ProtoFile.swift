/// What protoc asks for: the files to generate, the `--orderhub_opt` parameter, and every file
/// they depend on (so that imported types resolve).
struct PluginRequest {
    var filesToGenerate: [String]
    var parameter: String
    var files: [ProtoFile]
}

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

/// A top-level extension field of a `.proto` file (e.g. `google.api.http`), as server
/// reflection reports it.
struct ProtoExtension {
    /// The fully qualified extended message, without a leading dot.
    var extendee: String
    var number: Int32
    /// The fully qualified extension name.
    var fullName: String
}

/// A service declaration.
struct ProtoService {
    var name: String
    /// The fully qualified name without a leading dot, e.g. `orderhub.v1.Orders`.
    var fullName: String
    var methods: [ProtoMethod]
    var comment: String?
}

/// One RPC of a service.
struct ProtoMethod {
    var name: String
    /// Fully qualified, with a leading dot.
    var inputType: String
    /// Fully qualified, with a leading dot.
    var outputType: String
    var clientStreaming: Bool
    var serverStreaming: Bool
    var comment: String?
    /// The `google.api.http` option as protoc sent it (an `HttpRule`'s bytes), if the method has one.
    var httpOption: [UInt8]? = nil

    /// The method's REST bindings: none without a `google.api.http` option.
    func httpRules() throws -> [HTTPRule] {
        try httpOption.map { try HTTPRule.decode($0, method: name) } ?? []
    }
}
