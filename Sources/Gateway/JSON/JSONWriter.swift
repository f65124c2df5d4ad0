/// Builds compact JSON text. Callers write keys and values in order; the writer adds the commas.
///
/// ```swift
/// var json = JSONWriter()
/// json.object { json in
///     json.field("id") { $0.string("42") }
/// }
/// json.text  // {"id":"42"}
/// ```
struct JSONWriter: Sendable {
    /// The JSON written so far.
    private(set) var text = ""
    private var needsComma = false

init() {}

mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        text.append("{")
        needsComma = false
        body(&self)
        text.append("}")
        needsComma = true
    }

mutating func array(_ body: (inout JSONWriter) -> Void) {
        separate()
        text.append("[")
        needsComma = false
        body(&self)
        text.append("]")
        needsComma = true
    }

    /// Writes `"key":` then the value that `value` writes.
mutating func field(_ key: String, _ value: (inout JSONWriter) -> Void) {
        separate()
        appendQuoted(key)
        text.append(":")
        needsComma = false
        value(&self)
    }

mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
        needsComma = true
    }

mutating func integer(_ value: some BinaryInteger) {
        separate()
        text.append(String(value))
        needsComma = true
    }

mutating func bool(_ value: Bool) {
        separate()
        text.append(value ? "true" : "false")
        needsComma = true
    }

mutating func null() {
        separate()
        text.append("null")
        needsComma = true
    }

    /// Inserts already-encoded JSON as one value.
mutating func raw(_ json: String) {
        separate()
        text.append(json)
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { text.append(",") }
    }

    private mutating func appendQuoted(_ value: String) {
        text.append("\"")
        // Most strings (ids, names, codes) need no escaping: append them whole. 0xE2 leads
        // U+2028 and U+2029, so a string with it takes the careful path.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }) {
            text.append(value)
            text.append("\"")
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text.append("\\\"")
            case "\\": text.append("\\\\")
            case "\n": text.append("\\n")
            case "\r": text.append("\\r")
            case "\t": text.append("\\t")
            // U+2028/U+2029 break JavaScript string literals in older engines; escaping is harmless.
            case "\u{2028}": text.append("\\u2028")
            case "\u{2029}": text.append("\\u2029")
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        text.append("\"")
    }
}
