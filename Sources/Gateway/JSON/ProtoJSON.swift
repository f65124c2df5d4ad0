import RPC

/// Scalar conversions of the proto3 JSON mapping, shared by every message's mapping.
enum ProtoJSON {
    static func string(_ value: JSONValue, at path: String) throws -> String {
        guard case .string(let text) = value else {
            throw ProtoJSONError("\(path): expected a string, got \(value.kindName)")
        }
        return text
    }

    /// An integer field: a JSON number or a string holding one (int64 is written as a string).
    /// Exponents and fractions are accepted only when the value is integral, e.g. `1e3`, `2.0`.
    static func integer<I: FixedWidthInteger>(_ value: JSONValue, at path: String) throws -> I {
        let text: String
        switch value {
        case .number(let number): text = number
        case .string(let string): text = string
        default: throw ProtoJSONError("\(path): expected an integer, got \(value.kindName)")
        }
        if let exact = I(text) { return exact }
        guard let integral = integralDigits(text) else {
            throw ProtoJSONError("\(path): \"\(text)\" is not an integer")
        }
        guard let result = I(integral) else {
            throw ProtoJSONError("\(path): \(text) is out of range for a \(I.bitWidth)-bit integer")
        }
        return result
    }

    /// A boolean: `true` or `false`; from the query, the strings `true` and `false` too.
    static func bool(_ value: JSONValue, at path: String, fromQuery: Bool = false) throws -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .string("true") where fromQuery: return true
        case .string("false") where fromQuery: return false
        default: throw ProtoJSONError("\(path): expected true or false, got \(value.kindName)")
        }
    }

    /// A `bytes` value: a base64 string (standard or URL-safe, padding optional).
    static func bytes(_ value: JSONValue, at path: String) throws -> [UInt8] {
        let text = try string(value, at: path)
        let standard = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        let padded = standard + String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        guard let bytes = Base64.decode(padded) else { throw ProtoJSONError("\(path): not base64") }
        return bytes
    }

    /// An enum value, also in the query's spellings (a short name) when `options` read a query.
    static func enumeration<E: ProtoJSONEnum>(_ value: JSONValue, at path: String, options: ProtoJSONOptions) throws -> E {
        if options.readsQueryValues, case .string(let text) = value { return try E.fromQuery(text, at: path) }
        return try enumeration(value, at: path)
    }

    /// An enum field: its proto name, or its number.
    static func enumeration<E: ProtoJSONEnum>(_ value: JSONValue, at path: String) throws -> E {
        switch value {
        case .string(let name):
            if let known = E(protoName: name) { return known }
            throw ProtoJSONError(
                "\(path): unknown value \"\(name)\"; expected one of \(E.allCases.map(\.protoName).joined(separator: ", "))"
            )
        case .number:
            let number: Int32 = try integer(value, at: path)
            return E(rawValue: number)
        default:
            throw ProtoJSONError("\(path): expected an enum name or number, got \(value.kindName)")
        }
    }

    /// Turns an integral number with a fraction or exponent (`12.0`, `1.5e1`) into plain digits;
    /// nil when it is not integral or not a number at all.
    private static func integralDigits(_ text: String) -> String? {
        var rest = Substring(text)
        let negative = rest.first == "-"
        if negative { rest = rest.dropFirst() }
        var exponent = 0
        if let e = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(rest[rest.index(after: e)...]), abs(value) < 400 else { return nil }
            exponent = value
            rest = rest[..<e]
        }
        var digits = rest
        if let dot = rest.firstIndex(of: ".") {
            let fraction = rest[rest.index(after: dot)...]
            digits = rest[..<dot] + fraction
            exponent -= fraction.count
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        var plain = String(digits)
        if exponent >= 0 {
            plain += String(repeating: "0", count: exponent)
        } else {
            let dropped = plain.suffix(-exponent)
            guard dropped.allSatisfy({ $0 == "0" }) else { return nil }
            plain = String(plain.dropLast(-exponent))
            if plain.isEmpty { plain = "0" }
        }
        return negative ? "-" + plain : plain
    }
}

/// A JSON body does not fit the message it was sent for: wrong type, bad enum name, unknown field.
/// The gateway answers it with INVALID_ARGUMENT; `message` names the field.
struct ProtoJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}

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
