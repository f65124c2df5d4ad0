import PostgresNIO
import StorageSupport

/// Typed column access that fails loudly on a schema mismatch instead of defaulting, as
/// `SQLiteRow`'s does.
extension PostgresRandomAccessRow: StorageRow {
    /// A non-null text column.
    public func text(_ column: String) throws -> String {
        try decoded(String.self, column)
    }

    /// A text column that may be null.
    public func optionalText(_ column: String) throws -> String? {
        try decoded(String?.self, column)
    }

    /// A non-null BIGINT column.
    public func int64(_ column: String) throws -> Int64 {
        try decoded(Int64.self, column)
    }

    /// A BIGINT column that may be null.
    public func optionalInt64(_ column: String) throws -> Int64? {
        try decoded(Int64?.self, column)
    }

    private func decoded<T: PostgresDecodable>(_ type: T.Type, _ column: String) throws -> T {
        guard contains(column) else { throw StorageError.malformedRow(column: column) }
        do {
            return try self[column].decode(T.self)
        } catch {
            throw StorageError.malformedRow(column: column)
        }
    }
}
