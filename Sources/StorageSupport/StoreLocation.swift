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

/// A PostgreSQL setting that cannot be used (a malformed `--db postgres://…` URL, a schema
/// name that is not a plain identifier), and why.
public struct PostgresSettingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, for the user.
    public var description: String

    init(_ description: String) {
        self.description = description
    }

    static func url(_ problem: String) -> PostgresSettingError {
        PostgresSettingError("PostgreSQL URL \(problem)")
    }
}

/// Names put into SQL text (schemas, channels) rather than bound as values: only plain
/// lower-case identifiers, so they never need quoting and cannot inject SQL.
public enum PostgresIdentifier {
    /// Throws unless `name` is 1–63 characters of `a-z`, `0-9` and `_`, not starting with a digit.
    public static func check(_ name: String, what: String) throws(PostgresSettingError) {
        let bytes = Array(name.utf8)
        let valid =
            (1...63).contains(bytes.count)
            && bytes.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_")
            }
            && !(bytes[0] >= UInt8(ascii: "0") && bytes[0] <= UInt8(ascii: "9"))
        guard valid else { throw PostgresSettingError("the \(what) name \"\(name)\" must be 1–63 characters of a-z, 0-9 and _, not starting with a digit") }
    }
}
