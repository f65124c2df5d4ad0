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
}
