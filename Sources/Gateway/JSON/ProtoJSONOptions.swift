/// How strictly a JSON body is read into a message.
struct ProtoJSONOptions: Sendable, Hashable {
    /// Skip fields the message does not have instead of refusing the request. Off by default,
    /// as in the proto3 JSON mapping; a client opts in with the `Json-Ignore-Unknown-Fields: true`
    /// request header.
    var ignoreUnknownFields: Bool
    /// The fields came from the query, where every value is a string: enums may also be given
    /// by number or short name (`ProtoJSONEnum.fromQuery`), booleans as `true`/`false`.
    var readsQueryValues: Bool

    init(ignoreUnknownFields: Bool = false, readsQueryValues: Bool = false) {
        self.ignoreUnknownFields = ignoreUnknownFields
        self.readsQueryValues = readsQueryValues
    }

    static var strict: ProtoJSONOptions { ProtoJSONOptions() }
}
