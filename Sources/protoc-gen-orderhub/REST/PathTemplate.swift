/// A `google.api.http` path template, parsed and checked against the request message
/// (google/api/http.proto, "Path template syntax").
///
/// Supported: literal segments, `{field}` and `{field=*}` (one segment into a top-level scalar
/// field of the request), and a `:verb` suffix. `*` without a field, `**` and multi-segment
/// variables are refused: the gateway has no route for them.
struct PathTemplate {
    enum Segment: Equatable {
        case literal(String)
        /// Captures one segment into the request field with this proto name.
        case field(String)
    }

    /// The template as written, e.g. `/v1/orders/{id}:cancel`.
    var text: String
    var segments: [Segment]
    /// The custom method after the last `:`, e.g. `cancel`.
    var verb: String?

    /// The proto names of the captured fields.
    var fields: [String] {
        segments.compactMap { if case .field(let name) = $0 { name } else { nil } }
    }

    init(_ text: String, method: String) throws {
        self.text = text
        var path = Substring(text.dropFirst())
        // The verb follows the last `:` that is not inside a `{…}` variable.
        if let colon = path.lastIndex(of: ":"), !path[colon...].contains("}") {
            verb = String(path[path.index(after: colon)...])
            path = path[..<colon]
        }
        segments = try path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            guard !segment.isEmpty else { throw GeneratorError("\(method): empty segment in the path template \(text)") }
            guard segment.hasPrefix("{") else {
                guard !segment.contains(where: { "*{}=".contains($0) }) else {
                    throw GeneratorError("\(method): the path template \(text) uses `\(segment)`; the REST mapping supports literals, {field} and :verb")
                }
                return .literal(String(segment))
            }
            guard segment.hasSuffix("}") else { throw GeneratorError("\(method): unclosed variable in \(text)") }
            let inside = segment.dropFirst().dropLast()
            let parts = inside.split(separator: "=", maxSplits: 1)
            guard let name = parts.first, parts.count == 1 || parts.last == "*" else {
                throw GeneratorError("\(method): the variable `\(segment)` in \(text) spans more than one segment, which the REST mapping does not support")
            }
            guard !name.contains(".") else {
                throw GeneratorError("\(method): the variable `\(segment)` in \(text) names a nested field, which the REST mapping does not support yet")
            }
            return .field(String(name))
        }
        if let verb, verb.isEmpty || verb.contains("/") {
            throw GeneratorError("\(method): the path template \(text) has an empty or invalid verb")
        }
    }

    /// The Swift expression of the gateway's `PathTemplate` value.
    var swiftExpression: String {
        let parts = segments.map { segment in
            switch segment {
            case .literal(let text): ".literal(\(SwiftLiteral.string(text)))"
            case .field(let name): ".field(\(SwiftLiteral.string(JSONCodingEmitter.jsonName(name))))"
            }
        }
        let verbText = verb.map(SwiftLiteral.string) ?? "nil"
        return "PathTemplate(\(SwiftLiteral.string(openAPIPath)), [\(parts.joined(separator: ", "))], verb: \(verbText))"
    }

    /// The path as OpenAPI writes it: variables as `{jsonName}`, the verb kept.
    var openAPIPath: String {
        let path = segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .field(let name): "{\(JSONCodingEmitter.jsonName(name))}"
            }
        }
        return "/" + path.joined(separator: "/") + (verb.map { ":" + $0 } ?? "")
    }
}

/// Swift source literals for generated values.
enum SwiftLiteral {
    /// A string literal with `"`, `\` and control characters escaped.
    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
