/// One `google.api.http` binding of a method (google/api/http.proto `HttpRule`): the HTTP method,
/// the path template, which request field the body fills and which response field is sent.
///
/// protobuf-c keeps the option as an unknown field of `MethodOptions` (its descriptor.proto has
/// no extensions), so the rule is decoded here from its wire bytes with `WireReader`.
struct HTTPRule: Equatable {
    /// `GET`, `POST`, `PUT`, `DELETE`, `PATCH`, or a `custom` kind as written.
    var method: String
    /// The path template, e.g. `/v1/orders/{id}:cancel`.
    var path: String
    /// Empty: no body; `*`: the whole request; else the name of the request field the body fills.
    var body: String
    /// Empty: the whole response; else the name of the response field sent as the body.
    var responseBody: String

    /// The `google.api.http` extension's field number in `MethodOptions`.
    static let extensionNumber: UInt32 = 72_295_728

    /// The rule and its `additional_bindings`, in that order.
    static func decode(_ bytes: [UInt8], method: String) throws -> [HTTPRule] {
        var rule = HTTPRule(method: "", path: "", body: "", responseBody: "")
        var additional: [HTTPRule] = []
        var reader = WireReader(bytes)
        let verbs: [UInt32: String] = [2: "GET", 3: "PUT", 4: "POST", 5: "DELETE", 6: "PATCH"]
        while let (number, value) = try reader.next() {
            switch (number, value) {
            case (let verb, .bytes(let text)) where verbs[verb] != nil:
                rule.method = verbs[verb]!
                rule.path = String(decoding: text, as: UTF8.self)
            case (7, .bytes(let text)): rule.body = String(decoding: text, as: UTF8.self)
            case (12, .bytes(let text)): rule.responseBody = String(decoding: text, as: UTF8.self)
            case (8, .bytes(let custom)):
                var pattern = WireReader(custom)
                while let (field, part) = try pattern.next() {
                    guard case .bytes(let text) = part else { continue }
                    if field == 1 { rule.method = String(decoding: text, as: UTF8.self) }
                    if field == 2 { rule.path = String(decoding: text, as: UTF8.self) }
                }
            case (11, .bytes(let nested)):
                additional += try decode(nested, method: method)
            default:
                continue  // selector (1) and fields a newer http.proto may add
            }
        }
        guard !rule.method.isEmpty, rule.path.hasPrefix("/") else {
            throw GeneratorError("\(method): its google.api.http option names no method and path")
        }
        return [rule] + additional
    }
}

/// Reads protobuf wire format field by field: enough to decode an option protoc sends as bytes.
struct WireReader {
    /// A field's value: varints and fixed-width numbers as integers, length-delimited as bytes.
    enum Value {
        case integer(UInt64)
        case bytes([UInt8])
    }

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next field's number and value; nil at the end.
    mutating func next() throws -> (UInt32, Value)? {
        guard index < bytes.count else { return nil }
        let key = try varint()
        let number = UInt32(truncatingIfNeeded: key >> 3)
        switch key & 7 {
        case 0: return (number, .integer(try varint()))
        case 1: return (number, .integer(try fixed(8)))
        case 2:
            let length = Int(try varint())
            guard length <= bytes.count - index else { throw GeneratorError("truncated option bytes") }
            defer { index += length }
            return (number, .bytes(Array(bytes[index..<index + length])))
        case 5: return (number, .integer(try fixed(4)))
        default: throw GeneratorError("unsupported wire type \(key & 7) in option bytes")
        }
    }

    private mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard index < bytes.count else { throw GeneratorError("truncated varint in option bytes") }
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte < 0x80 { return value }
        }
        throw GeneratorError("overlong varint in option bytes")
    }

    private mutating func fixed(_ width: Int) throws -> UInt64 {
        guard width <= bytes.count - index else { throw GeneratorError("truncated option bytes") }
        defer { index += width }
        return bytes[index..<index + width].reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}
