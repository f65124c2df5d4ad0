/// A database the store contract suites run their cases on.
public enum StoreBackend: String, Sendable, Hashable, CustomStringConvertible {
    case sqlite
    case postgres

    /// SQLite always; PostgreSQL when `ORDERHUB_TEST_POSTGRES_URL` is set, and in CI even when
    /// it is not, so a CI run without a server fails loudly instead of passing without it.
    public static var tested: [StoreBackend] {
        PostgresTestDatabase.shouldRun ? [.sqlite, .postgres] : [.sqlite]
    }

    /// The tested backends on which several store instances share a database (PostgreSQL).
    public static var testedAcrossInstances: [StoreBackend] {
        tested.filter { $0.sharesAcrossInstances }
    }

    /// Whether several store instances (replicas) may share one database. SQLite: one process
    /// owns the file, so a suite's "other replica" is the same store.
    public var sharesAcrossInstances: Bool { self == .postgres }

    /// The name in test output.
    public var description: String { rawValue }
}
