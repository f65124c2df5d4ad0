/// A storage failure, the same for every database: each backend translates its driver's
/// errors into these, so the layers above (and the one mapping to RPC statuses at the edge)
/// never name a driver. A driver error that fits none of them is passed on unchanged and
/// treated as an internal error.
public enum StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A row did not have the shape the schema promises (a missing or mistyped column).
    case malformedRow(column: String)
    /// The database file was written by a newer build (a migration version this build lacks).
    case schemaTooNew(found: Int, known: Int)
    /// The storage was closed; no more work is accepted.
    case closed
    /// The database is locked by other work (SQLite's busy timeout ran out, a PostgreSQL lock
    /// or serialization conflict that outlived its retries): the same request may succeed soon.
    case busy(String)
    /// The database cannot be reached (the server is down or restarting, the connection
    /// broke, the file cannot be opened): the same request may succeed later.
    case unavailable(String)
    /// A write broke a constraint of the schema that the domain rules should have kept: a bug.
    case constraint(String)
    /// The database reports damaged data or is not a database at all.
    case corrupt(String)
    /// The disk (or the database's size limit) is full: writes fail until space is freed.
    case diskFull(String)

    /// A sentence for logs.
    public var description: String {
        switch self {
        case .malformedRow(let column): "malformed row: column \(column)"
        case .schemaTooNew(let found, let known): "database schema version \(found) is newer than this build knows (\(known))"
        case .closed: "storage is closed"
        case .busy(let detail): "database busy: \(detail)"
        case .unavailable(let detail): "database unavailable: \(detail)"
        case .constraint(let detail): "constraint violated: \(detail)"
        case .corrupt(let detail): "database corrupt: \(detail)"
        case .diskFull(let detail): "disk full: \(detail)"
        }
    }
}

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

extension Array {
    /// Consecutive slices of at most `size` elements (for multi-row statements under a
    /// database's bind limit).
    public func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
