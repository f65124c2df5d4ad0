/// A service declaration.
struct ProtoService {
    var name: String
    /// The fully qualified name without a leading dot, e.g. `orderhub.v1.Orders`.
    var fullName: String
    var methods: [ProtoMethod]
    var comment: String?
}
