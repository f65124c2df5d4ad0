import SQLiteNIO

extension SQLiteConnection {
    /// Runs a statement whose rows, if any, are not needed.
    public func execute(_ sql: String, _ binds: [SQLiteData] = []) async throws {
        try await query(sql, binds) { _ in }
    }

    /// Runs a statement and returns its rows.
    public func rows(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        try await query(sql, binds)
    }
}
