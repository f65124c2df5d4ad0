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

extension SchemaMigration {
    /// The same migration steps in another SQL dialect: each step keeps its version and name
    /// from `migrations` (one list names the schema's history) and takes its statements from
    /// `statements[version]`. Traps when a step has no statements there: a schema change
    /// written for one database only is a programming error, caught at the first start.
    public static func translating(_ migrations: [SchemaMigration], statements: [Int: [String]]) -> [SchemaMigration] {
        migrations.map { migration in
            guard let translated = statements[migration.version] else {
                preconditionFailure("schema migration \(migration.version) has no statements in this dialect")
            }
            return SchemaMigration(version: migration.version, name: migration.name, statements: translated)
        }
    }
}
