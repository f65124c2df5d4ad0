/// Where a service keeps its data, as `--db` names it: `sqlite:PATH` (a file, created if
/// missing) or a `postgres://…` URL (`PostgresURL`).
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// Parses a `--db` value; throws `PostgresSettingError` naming what is wrong.
    public init(parsing text: String) throws(PostgresSettingError) {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw PostgresSettingError("--db sqlite: needs a file path, e.g. sqlite:./data/orders.db") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresURL(parsing: text))
        } else {
            throw PostgresSettingError("--db must be sqlite:PATH or postgres://USER@HOST[:PORT]/DATABASE, got \"\(text)\"")
        }
    }

    /// The same location with the PostgreSQL password replaced (e.g. read from a secret file);
    /// a SQLite location is returned unchanged.
    public func withPassword(_ password: String) -> StoreLocation {
        guard case .postgres(var url) = self else { return self }
        url.password = password
        return .postgres(url)
    }

    /// For logs: a PostgreSQL password is hidden.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): url.description
        }
    }
}
