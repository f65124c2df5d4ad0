import NIOCore

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
    /// The UTF-8 bytes written so far. Bytes, not a `String` (`String.append` keeps counts and
    /// flags up to date on every call), and in a `ByteBuffer`, which a response sends as it is.
    private(set) var buffer: ByteBuffer
    private var needsComma = false

    /// The JSON written so far.
    var text: String { String(buffer: buffer) }

    init() {
        buffer = ByteBuffer()
    }

    /// A writer with room for `capacity` bytes, so a document of about that size is not
    /// copied as it grows.
    init(reservingCapacity capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        open(UInt8(ascii: "{"))
        body(&self)
        buffer.writeInteger(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func array(_ body: (inout JSONWriter) -> Void) {
        open(UInt8(ascii: "["))
        body(&self)
        buffer.writeInteger(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"key":` then the value that `value` writes.
    mutating func field(_ key: String, _ value: (inout JSONWriter) -> Void) {
        writeQuoted(key, then: UInt8(ascii: ":"))
        needsComma = false
        value(&self)
    }

    mutating func string(_ value: String) {
        writeQuoted(value, then: nil)
        needsComma = true
    }

    mutating func integer(_ value: some BinaryInteger) {
        separate()
        append(String(value))
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        append(value ? "true" : "false")
        needsComma = true
    }

    mutating func null() {
        separate()
        append("null")
        needsComma = true
    }

    /// Inserts already-encoded JSON as one value.
    mutating func raw(_ json: String) {
        separate()
        append(json)
        needsComma = true
    }

    private mutating func append(_ string: String) {
        buffer.writeString(string)
    }

    private mutating func separate() {
        if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
    }

    /// The comma that is due, then `bracket`.
    private mutating func open(_ bracket: UInt8) {
        if needsComma { writePair(UInt8(ascii: ","), bracket) } else { buffer.writeInteger(bracket) }
        needsComma = false
    }

    /// The comma that is due, `value` quoted, then `suffix` if any. Most strings (keys, ids,
    /// names, codes) need no escaping: they are scanned and copied whole from their contiguous
    /// UTF-8 (every native string has it), and the punctuation around them goes in pairs, since
    /// each write into the buffer checks its uniqueness and exclusive access. 0xE2 leads U+2028
    /// and U+2029, so a string with it takes the careful path.
    private mutating func writeQuoted(_ value: String, then suffix: UInt8?) {
        let plain = value.utf8.withContiguousStorageIfAvailable { utf8 in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }) else { return false }
            if needsComma { writePair(UInt8(ascii: ","), UInt8(ascii: "\"")) } else { buffer.writeInteger(UInt8(ascii: "\"")) }
            buffer.writeBytes(utf8)
            if let suffix { writePair(UInt8(ascii: "\""), suffix) } else { buffer.writeInteger(UInt8(ascii: "\"")) }
            return true
        }
        if plain == true { return }
        separate()
        appendEscaped(value)
        if let suffix { buffer.writeInteger(suffix) }
    }

    /// Two bytes in one write (big-endian puts `first` first).
    private mutating func writePair(_ first: UInt8, _ second: UInt8) {
        buffer.writeInteger(UInt16(first) << 8 | UInt16(second))
    }

    /// `value` quoted, escaped as JSON requires.
    private mutating func appendEscaped(_ value: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": append("\\\"")
            case "\\": append("\\\\")
            case "\n": append("\\n")
            case "\r": append("\\r")
            case "\t": append("\\t")
            // U+2028/U+2029 break JavaScript string literals in older engines; escaping is harmless.
            case "\u{2028}": append("\\u2028")
            case "\u{2029}": append("\\u2029")
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default:
                append(String(scalar))
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}
