/// One step of a database schema: applied once, in version order, inside a transaction, and
/// recorded in the `schema_migrations` table.
public struct SchemaMigration: Sendable {
    /// Strictly increasing, starting at 1. An applied version is never edited; add a new one.
    public var version: Int
    /// A short description, stored next to the version.
    public var name: String
    /// The statements, run in order.
    public var statements: [String]

    /// A migration step; `version` must be higher than every earlier one.
    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}
