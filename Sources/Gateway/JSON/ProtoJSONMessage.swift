/// A message the REST gateway reads and writes as proto3 JSON. protoc-gen-orderhub generates
/// the conformance of every message a `google.api.http` binding uses (`Generated/*.json.swift`).
protocol ProtoJSONMessage {
    /// Reads the message at `path` (for error messages, e.g. `items[0]`).
    init(json: JSONValue, path: String, options: ProtoJSONOptions) throws
    /// Writes the message as one JSON object.
    func write(to json: inout JSONWriter)
}

extension ProtoJSONMessage {
    /// The message as one proto3 JSON document, written.
    var protoJSON: JSONWriter {
        var json = JSONWriter(reservingCapacity: 512)
        write(to: &json)
        return json
    }

    /// The message as one proto3 JSON document.
    var jsonText: String { protoJSON.text }
}
