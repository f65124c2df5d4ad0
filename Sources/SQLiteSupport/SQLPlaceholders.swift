/// Builds the `?` lists of multi-row statements.
public enum SQLPlaceholders {
    /// `(?, ?, ?), (?, ?, ?)` for `rows` rows of `columns` values each.
    public static func rows(_ rows: Int, columns: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// `?, ?, ?` for an `IN (…)` list of `count` values.
    public static func list(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
