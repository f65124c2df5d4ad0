import SQLiteNIO
import StorageSupport

/// Typed column access that fails loudly on a schema mismatch instead of defaulting.
extension SQLiteRow: StorageRow {
    /// A non-null text column.
    public func text(_ column: String) throws -> String {
        guard case .text(let value)? = self.column(column) else { throw StorageError.malformedRow(column: column) }
        return value
    }

    /// A text column that may be null.
    public func optionalText(_ column: String) throws -> String? {
        switch self.column(column) {
        case .text(let value)?: return value
        case .null?: return nil
        default: throw StorageError.malformedRow(column: column)
        }
    }

    /// A non-null integer column.
    public func int64(_ column: String) throws -> Int64 {
        guard case .integer(let value)? = self.column(column) else { throw StorageError.malformedRow(column: column) }
        return Int64(value)
    }

    /// An integer column that may be null.
    public func optionalInt64(_ column: String) throws -> Int64? {
        switch self.column(column) {
        case .integer(let value)?: return Int64(value)
        case .null?: return nil
        default: throw StorageError.malformedRow(column: column)
        }
    }
}

extension SQLiteData {
    /// Binds an `Int64`.
    public static func int64(_ value: Int64) -> SQLiteData { .integer(SQLiteInt64(value)) }

    /// Binds optional text as text or NULL.
    public static func optionalText(_ value: String?) -> SQLiteData { value.map { .text($0) } ?? .null }

    /// Binds an optional `Int64` as an integer or NULL.
    public static func optionalInt64(_ value: Int64?) -> SQLiteData { value.map { .integer(SQLiteInt64($0)) } ?? .null }
}
