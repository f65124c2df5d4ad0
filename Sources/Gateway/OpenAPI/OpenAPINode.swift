/// A JSON value written in Swift with its keys in the order given: what `OpenAPIDocument` is
/// built from. Literals make the document read like JSON; helpers make each repeated piece once.
///
/// ```swift
/// let schema: OpenAPINode = ["type": "string", "maxLength": 64]
/// schema.adding(["description": "Stock keeping unit."]).text
/// // {"type":"string","maxLength":64,"description":"Stock keeping unit."}
/// ```
indirect enum OpenAPINode: Sendable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case array([OpenAPINode])
    case object([(key: String, value: OpenAPINode)])

    /// An object with `extra`'s keys added after this one's; a key both have takes `extra`'s value.
    func adding(_ extra: KeyValuePairs<String, OpenAPINode>) -> OpenAPINode {
        guard case .object(var fields) = self else { preconditionFailure("only an object takes fields") }
        for (key, value) in extra {
            if let index = fields.firstIndex(where: { $0.key == key }) {
                fields[index].value = value
            } else {
                fields.append((key, value))
            }
        }
        return .object(fields)
    }

    /// Compact JSON text.
    var text: String {
        var json = JSONWriter()
        write(to: &json)
        return json.text
    }

    func write(to json: inout JSONWriter) {
        switch self {
        case .string(let value): json.string(value)
        case .integer(let value): json.integer(value)
        case .bool(let value): json.bool(value)
        case .array(let elements):
            json.array { json in for element in elements { element.write(to: &json) } }
        case .object(let fields):
            json.object { json in
                for (key, value) in fields { json.field(key) { value.write(to: &$0) } }
            }
        }
    }
}

extension OpenAPINode: ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(stringInterpolation: DefaultStringInterpolation) { self = .string(String(stringInterpolation: stringInterpolation)) }
    init(integerLiteral value: Int) { self = .integer(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: OpenAPINode...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, OpenAPINode)...) { self = .object(elements.map { (key: $0.0, value: $0.1) }) }
}
