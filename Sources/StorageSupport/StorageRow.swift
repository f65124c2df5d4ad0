/// A result row read by column name, the same on every database, so a row → value mapping is
/// written once for both backends. Each accessor fails loudly on a schema mismatch (a
/// missing or mistyped column: `StorageError.malformedRow`) instead of defaulting.
public protocol StorageRow {
    /// A non-null text column.
    func text(_ column: String) throws -> String
    /// A text column that may be null.
    func optionalText(_ column: String) throws -> String?
    /// A non-null 64-bit integer column.
    func int64(_ column: String) throws -> Int64
    /// A 64-bit integer column that may be null.
    func optionalInt64(_ column: String) throws -> Int64?
}
