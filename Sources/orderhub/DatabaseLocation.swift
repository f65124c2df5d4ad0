/// Where a service keeps its data, from `--db`: `sqlite:PATH` (a file; created if missing).
/// `postgres://…` names a PostgreSQL server, which this build does not support yet.
enum DatabaseLocation: CustomStringConvertible {
    case sqlite(path: String)

    init(parsing text: String) throws {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw SettingError("--db sqlite: needs a file path, e.g. sqlite:./data/orders.db") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            throw SettingError("--db \(text): PostgreSQL storage is not part of this build yet; use sqlite:PATH")
        } else {
            throw SettingError("--db must be sqlite:PATH, got \"\(text)\"")
        }
    }

    var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        }
    }
}
