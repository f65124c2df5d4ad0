/// A storage failure that callers may treat specially.
public enum StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A row did not have the shape the schema promises (a missing or mistyped column).
    case malformedRow(column: String)
    /// The database file was written by a newer build (a migration version this build lacks).
    case schemaTooNew(found: Int, known: Int)
    /// The storage was closed; no more work is accepted.
    case closed
    /// The database cannot be reached now (a PostgreSQL server restarting or away); the
    /// same request may succeed later. Callers answer UNAVAILABLE.
    case unavailable(String)

    /// A sentence for logs.
    public var description: String {
        switch self {
        case .malformedRow(let column): "malformed row: column \(column)"
        case .schemaTooNew(let found, let known): "database schema version \(found) is newer than this build knows (\(known))"
        case .closed: "storage is closed"
        case .unavailable(let reason): "database unavailable: \(reason)"
        }
    }
}
