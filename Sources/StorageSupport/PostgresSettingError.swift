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
