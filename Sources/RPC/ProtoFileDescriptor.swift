/// One `.proto` file as the code generator saw it: its serialized `FileDescriptorProto`, what
/// it imports, and the names it defines, so a server can describe its API at run time (server
/// reflection) without parsing descriptors.
///
/// Generated code builds these (`ContractsDescriptors.files`); the bytes travel as base64 text
/// because a string literal compiles far faster than a large array literal.
public struct ProtoFileDescriptor: Sendable, Hashable {
    /// An extension field the file declares: which message it extends, under which number.
    public struct Extension: Sendable, Hashable {
        /// The fully qualified extended message, e.g. `google.protobuf.MethodOptions`.
        public var extendee: String
        /// The extension's field number within the extended message.
        public var number: Int32
        /// The fully qualified extension name, e.g. `google.api.http`.
        public var name: String

        /// An extension as generated code lists it.
        public init(extendee: String, number: Int32, name: String) {
            self.extendee = extendee
            self.number = number
            self.name = name
        }
    }

    /// The path protoc knows the file by, e.g. `orderhub/v1/orders.proto`.
    public var name: String
    /// The paths of the files it imports.
    public var dependencies: [String]
    /// Every fully qualified name it defines: messages and enums (nested ones too), services,
    /// methods (`orderhub.v1.Orders.GetOrder`) and extensions.
    public var symbols: [String]
    /// Its top-level extension fields, so reflection can answer which extensions a message has.
    public var extensions: [Extension]
    /// The serialized `FileDescriptorProto`, without source comments.
    public var serialized: [UInt8]

    /// A descriptor from the file's serialized `FileDescriptorProto` bytes.
    public init(name: String, dependencies: [String], symbols: [String], extensions: [Extension], serialized: [UInt8]) {
        self.name = name
        self.dependencies = dependencies
        self.symbols = symbols
        self.extensions = extensions
        self.serialized = serialized
    }

    /// A descriptor whose bytes are base64 text (what generated code writes).
    public init(name: String, dependencies: [String], symbols: [String], extensions: [Extension], base64: String) {
        guard let bytes = Base64.decode(base64) else { preconditionFailure("generated descriptor of \(name) is not base64") }
        self.init(name: name, dependencies: dependencies, symbols: symbols, extensions: extensions, serialized: bytes)
    }
}
