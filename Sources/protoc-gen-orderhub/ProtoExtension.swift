/// A top-level extension field of a `.proto` file (e.g. `google.api.http`), as server
/// reflection reports it.
struct ProtoExtension {
    /// The fully qualified extended message, without a leading dot.
    var extendee: String
    var number: Int32
    /// The fully qualified extension name.
    var fullName: String
}
