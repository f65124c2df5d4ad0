/// A parsed JSON value.
///
/// Numbers keep their source text, so an int64 such as `9007199254740993` reaches its field
/// exactly instead of passing through a `Double`.
enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number as written, e.g. `-12`, `3.5e2`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses a complete JSON text (RFC 8259). Throws `JSONParseError` naming the byte offset.
    init(parsing bytes: some Collection<UInt8>) throws {
        var parser = JSONParser(Array(bytes))
        self = try parser.parseDocument()
    }

    /// A short name of the kind of value, for error messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
