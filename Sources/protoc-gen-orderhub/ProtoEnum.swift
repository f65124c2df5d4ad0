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
