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
