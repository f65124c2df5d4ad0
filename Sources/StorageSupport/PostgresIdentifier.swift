/// Names put into SQL text (schemas, channels) rather than bound as values: only plain
/// lower-case identifiers, so they never need quoting and cannot inject SQL.
public enum PostgresIdentifier {
    /// Throws unless `name` is 1–63 characters of `a-z`, `0-9` and `_`, not starting with a digit.
    public static func check(_ name: String, what: String) throws(PostgresSettingError) {
        let bytes = Array(name.utf8)
        let valid = (1...63).contains(bytes.count)
            && bytes.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
            && !(bytes[0] >= UInt8(ascii: "0") && bytes[0] <= UInt8(ascii: "9"))
        guard valid else { throw PostgresSettingError("the \(what) name \"\(name)\" must be 1–63 characters of a-z, 0-9 and _, not starting with a digit") }
    }
}
