/// Custom call metadata: ordered key/value pairs sent as HTTP/2 headers or trailers.
///
/// Keys are lower-case ASCII. A key ending in `-bin` carries binary values (base64 on the
/// wire, done by the transport); every other key carries printable ASCII text.
///
/// ```swift
/// var metadata: Metadata = ["x-request-id": "abc"]
/// metadata.add("trace-bin", .binary([0x01, 0x02]))
/// ```
public struct Metadata: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One metadata value.
    public enum Value: Sendable, Hashable, ExpressibleByStringLiteral {
        /// Printable ASCII text, under a key without the `-bin` suffix.
        case string(String)
        /// Raw bytes, under a `-bin` key; base64 on the wire.
        case binary([UInt8])

        /// A text value: `["x-request-id": "abc"]`.
        public init(stringLiteral value: String) {
            self = .string(value)
        }
    }

    /// One key/value pair, in the order it was added or received.
    public struct Entry: Sendable, Hashable {
        /// Lower-case.
        public var key: String
        /// Text or bytes, as the key's suffix requires.
        public var value: Value
    }

    private var entries: [Entry] = []

    /// No entries.
    public init() {}

    /// The pairs in literal order; keys are lower-cased and repeated keys kept.
    public init(dictionaryLiteral elements: (String, Value)...) {
        for (key, value) in elements { add(key, value) }
    }

    /// Entries, counting every value of a repeated key.
    public var count: Int { entries.count }
    /// Whether there are no entries.
    public var isEmpty: Bool { entries.isEmpty }

    /// Appends a text value; keys are lower-cased.
    public mutating func add(_ key: String, _ value: String) {
        entries.append(Entry(key: Self.lowercased(key), value: .string(value)))
    }

    /// Appends a value of either kind; keys are lower-cased.
    public mutating func add(_ key: String, _ value: Value) {
        entries.append(Entry(key: Self.lowercased(key), value: value))
    }

    /// Appends without lower-casing: for keys already known to be lower-case (HTTP/2 field names).
    mutating func append(lowercasedKey key: String, _ value: Value) {
        entries.append(Entry(key: key, value: value))
    }

    /// Replaces every value of `key` with one text value.
    public mutating func replace(_ key: String, _ value: String) {
        removeAll(key)
        add(key, value)
    }

    /// Removes every value of `key` (any case).
    public mutating func removeAll(_ key: String) {
        let key = Self.lowercased(key)
        entries.removeAll { $0.key == key }
    }

    /// The first text value of `key`.
    public subscript(key: String) -> String? {
        let key = Self.lowercased(key)
        for entry in entries where entry.key == key {
            if case .string(let text) = entry.value { return text }
        }
        return nil
    }

    /// The first binary value of `key` (a `-bin` key).
    public func binary(_ key: String) -> [UInt8]? {
        let key = Self.lowercased(key)
        for entry in entries where entry.key == key {
            if case .binary(let bytes) = entry.value { return bytes }
        }
        return nil
    }

    /// All values of `key`, in order.
    public func values(_ key: String) -> [Value] {
        let key = Self.lowercased(key)
        return entries.filter { $0.key == key }.map(\.value)
    }

    /// The entries in order.
    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    /// `key` in lower case. Keys are nearly always written lower-case already (a constant such as
    /// `"authorization"`, looked up on every call): those are returned as they are, without
    /// building a new string.
    private static func lowercased(_ key: String) -> String {
        key.utf8.contains { ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || $0 >= 0x80 } ? key.lowercased() : key
    }

    /// Whether a key names binary values (`-bin` suffix).
    public static func isBinaryKey(_ key: String) -> Bool { key.hasSuffix("-bin") }

    /// Whether entry `index` is the text field `name: value` as received (bytes equal).
    func entry(at index: Int, matches name: Span<UInt8>, _ value: Span<UInt8>) -> Bool {
        guard index < entries.count, case .string(let text) = entries[index].value else { return false }
        return entries[index].key.utf8Span.span.matches(name) && text.utf8Span.span.matches(value)
    }

    /// The first `count` entries, sharing this value's storage when that is all of them.
    func prefix(_ count: Int) -> Metadata {
        guard count < entries.count else { return self }
        var result = Metadata()
        result.entries = Array(entries.prefix(count))
        return result
    }
}
