/// Reads one JSON object as a proto3 message (protobuf.dev "ProtoJSON format").
///
/// Each field is looked up by its lowerCamelCase JSON name or its proto name; a JSON `null`
/// means the field's default. `finish()` refuses keys no field claimed unless the options
/// allow them.
///
/// ```swift
/// var object = try ProtoJSONObject(json, path: "", options: .strict)
/// let currency = try object.string("currency", "currency")
/// try object.finish()
/// ```
struct ProtoJSONObject {
    private let fields: [String: JSONValue]
    /// The keys of `fields` a field has read: the first few inline (a request message read
    /// from a path has one or two, and a set would be an allocation per message), the rest in
    /// a set. `finish` compares their number with the object's before it looks for names.
    private var foundFew: (String?, String?, String?, String?) = (nil, nil, nil, nil)
    private var foundMore: Set<String> = []
    private var foundCount = 0
    private let path: String
    private let options: ProtoJSONOptions

    init(_ value: JSONValue, path: String, options: ProtoJSONOptions) throws {
        guard case .object(let fields) = value else {
            throw ProtoJSONError("\(path.isEmpty ? "body" : path): expected an object, got \(value.kindName)")
        }
        self.fields = fields
        self.path = path
        self.options = options
    }

    /// The value of a field under either spelling, or nil when absent or null.
    mutating func value(_ jsonName: String, _ protoName: String) throws -> (JSONValue, String)? {
        let camel = fields[jsonName]
        let snake = jsonName == protoName ? nil : fields[protoName]
        if camel != nil { found(jsonName) }
        if snake != nil { found(protoName) }
        if camel != nil && snake != nil {
            throw ProtoJSONError("\(fieldPath(jsonName)): given twice, as \"\(jsonName)\" and \"\(protoName)\"")
        }
        guard let value = camel ?? snake, value != .null else { return nil }
        return (value, fieldPath(jsonName))
    }

    mutating func string(_ jsonName: String, _ protoName: String) throws -> String {
        guard let (value, path) = try value(jsonName, protoName) else { return "" }
        return try ProtoJSON.string(value, at: path)
    }

    /// An integer field of any width: a number, or a string holding one (how 64-bit integers are written).
    mutating func integer<I: FixedWidthInteger>(_ jsonName: String, _ protoName: String, as type: I.Type) throws -> I {
        guard let (value, path) = try value(jsonName, protoName) else { return 0 }
        return try ProtoJSON.integer(value, at: path)
    }

    mutating func bool(_ jsonName: String, _ protoName: String) throws -> Bool {
        guard let (value, path) = try value(jsonName, protoName) else { return false }
        return try ProtoJSON.bool(value, at: path, fromQuery: options.readsQueryValues)
    }

    /// A `bytes` field: standard or URL-safe base64.
    mutating func bytes(_ jsonName: String, _ protoName: String) throws -> [UInt8] {
        guard let (value, path) = try value(jsonName, protoName) else { return [] }
        return try ProtoJSON.bytes(value, at: path)
    }

    /// An enum field: its name or number; in the query also its short name (`ProtoJSONEnum.fromQuery`).
    mutating func enumeration<E: ProtoJSONEnum>(_ jsonName: String, _ protoName: String, as type: E.Type) throws -> E {
        guard let (value, path) = try value(jsonName, protoName) else { return E(rawValue: 0) }
        if options.readsQueryValues, case .string(let text) = value { return try E.fromQuery(text, at: path) }
        return try ProtoJSON.enumeration(value, at: path)
    }

    /// A singular message field: nil when absent or null.
    mutating func message<M: ProtoJSONMessage>(_ jsonName: String, _ protoName: String, as type: M.Type) throws -> M? {
        guard let (value, path) = try value(jsonName, protoName) else { return nil }
        return try M(json: value, path: path, options: options)
    }

    /// A repeated field; `element` reads each element at its indexed path.
    mutating func repeated<T>(
        _ jsonName: String, _ protoName: String,
        element: (JSONValue, String, ProtoJSONOptions) throws -> T
    ) throws -> [T] {
        guard let (value, path) = try value(jsonName, protoName) else { return [] }
        guard case .array(let elements) = value else {
            throw ProtoJSONError("\(path): expected an array, got \(value.kindName)")
        }
        return try elements.enumerated().map { offset, element0 in
            try element(element0, "\(path)[\(offset)]", options)
        }
    }

    /// Refuses fields the message does not have, unless the options ignore them.
    func finish() throws {
        guard !options.ignoreUnknownFields, foundCount < fields.count else { return }
        let unknown = fields.keys.filter { !wasFound($0) }.sorted()
        guard unknown.isEmpty else {
            let names = unknown.map { "\"\(fieldPath($0))\"" }.joined(separator: ", ")
            throw ProtoJSONError(
                "unknown field\(unknown.count == 1 ? "" : "s") \(names) (send the header Json-Ignore-Unknown-Fields: true to skip unknown fields)"
            )
        }
    }

    private mutating func found(_ key: String) {
        guard !wasFound(key) else { return }
        foundCount += 1
        if foundFew.0 == nil {
            foundFew.0 = key
        } else if foundFew.1 == nil {
            foundFew.1 = key
        } else if foundFew.2 == nil {
            foundFew.2 = key
        } else if foundFew.3 == nil {
            foundFew.3 = key
        } else {
            foundMore.insert(key)
        }
    }

    private func wasFound(_ key: String) -> Bool {
        foundFew.0 == key || foundFew.1 == key || foundFew.2 == key || foundFew.3 == key || foundMore.contains(key)
    }

    private func fieldPath(_ name: String) -> String {
        path.isEmpty ? name : "\(path).\(name)"
    }
}

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
