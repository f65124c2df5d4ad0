import Logging
import PostgresNIO
import PostgresSupport
import StorageSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The PostgreSQL server the tests use: `ORDERHUB_TEST_POSTGRES_URL` (`make test` starts one
/// with scripts/test-postgres.sh and exports it). Each test case works in a schema of its own,
/// dropped afterwards, so cases run in parallel on one database.
public enum PostgresTestDatabase {
    /// The variable that names the server.
    public static let environmentKey = "ORDERHUB_TEST_POSTGRES_URL"

    /// The server's URL, or nil when the variable is unset.
    public static var url: PostgresURL? {
        guard let text = ProcessInfo.processInfo.environment[environmentKey], !text.isEmpty else { return nil }
        // A malformed value must not look like "no server": it fails every PostgreSQL case.
        return try? PostgresURL(parsing: text)
    }

    /// CI (`CI=true`) requires the PostgreSQL cases.
    public static var isRequired: Bool {
        ["true", "1"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "")
    }

    /// Whether the PostgreSQL cases are part of this run.
    public static var shouldRun: Bool {
        isRequired || ProcessInfo.processInfo.environment[environmentKey].map { !$0.isEmpty } == true
    }

    /// Why the PostgreSQL cases are left out of a local run.
    public static let skipReason =
        "ORDERHUB_TEST_POSTGRES_URL is unset: the PostgreSQL store cases are skipped "
        + "(make test starts a server with scripts/test-postgres.sh; CI always runs them)"

    /// Quiet logs for tests.
    public static var logger: Logger {
        var logger = Logger(label: "store-tests")
        logger.logLevel = .critical
        return logger
    }

    /// A URL whose `schema` is new and unique; the schema (created by the store that opens it)
    /// is dropped when `body` returns.
    public static func withFreshSchema<T>(_ body: (PostgresURL) async throws -> T) async throws -> T {
        guard var url = try requiredURL() else { throw Unavailable() }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        url.schema = schema
        do {
            let result = try await body(url)
            try await dropSchema(schema)
            return result
        } catch {
            try? await dropSchema(schema)
            throw error
        }
    }

    /// Runs statements on the server (outside any test schema), for what a test does to the
    /// server itself: terminating a backend, reading `pg_stat_activity`.
    public static func withAdmin<T>(_ body: (PostgresStorage) async throws -> T) async throws -> T {
        guard let url = try requiredURL() else { throw Unavailable() }
        let storage = try await PostgresStorage.open(
            url: url, migrations: [], config: .init(maxConnections: 2, applicationName: "orderhub-tests-admin"), logger: logger)
        do {
            let result = try await body(storage)
            await storage.close()
            return result
        } catch {
            await storage.close()
            throw error
        }
    }

    private static func requiredURL() throws -> PostgresURL? {
        guard let text = ProcessInfo.processInfo.environment[environmentKey], !text.isEmpty else { return nil }
        return try PostgresURL(parsing: text)
    }

    private static func dropSchema(_ schema: String) async throws {
        try await withAdmin { admin in
            try await admin.execute(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"))
        }
    }

    /// The PostgreSQL cases were asked for (CI) but there is no server to run them on.
    public struct Unavailable: Error, CustomStringConvertible {
        /// The message the failing case shows.
        public var description: String {
            "\(PostgresTestDatabase.environmentKey) is unset, but CI runs the PostgreSQL store cases: "
                + "start a server with scripts/test-postgres.sh and export its URL (make test does)"
        }
    }
}
