/// How strictly a JSON body is read into a message.
struct ProtoJSONOptions: Sendable, Hashable {
    /// Skip fields the message does not have instead of refusing the request. Off by default,
    /// as in the proto3 JSON mapping; a client opts in with the `Json-Ignore-Unknown-Fields: true`
    /// request header.
var ignoreUnknownFields: Bool

init(ignoreUnknownFields: Bool = false) {
        self.ignoreUnknownFields = ignoreUnknownFields
    }

static var strict: ProtoJSONOptions { ProtoJSONOptions() }
}
