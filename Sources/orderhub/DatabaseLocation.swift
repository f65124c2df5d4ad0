import PostgresSupport
import StorageSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ArgumentParser

/// Where a service keeps its data, from `--db`: `sqlite:PATH` (a file; created if missing) or
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…&schema=…]` (shared by any
/// number of replicas). A PostgreSQL password may instead come from the file that
/// `ORDERHUB_DB_PASSWORD_FILE` names (a mounted Secret), so it never shows in a process list.
struct DatabaseLocation: CustomStringConvertible {
    /// What the store factories open.
    let store: StoreLocation
    /// How long start-up waits for PostgreSQL to accept a connection.
    var connectTimeout: Duration = .seconds(30)
    /// How often a service checks that its database answers (readiness).
    static let checkInterval: Duration = .seconds(2)

    init(parsing text: String, connectTimeout: Duration) throws {
        self.connectTimeout = connectTimeout
        do {
            var store = try StoreLocation(parsing: text)
            if case .postgres(let url) = store, url.password == nil,
                let file = ProcessInfo.processInfo.environment["ORDERHUB_DB_PASSWORD_FILE"], !file.isEmpty
            {
                let password = try TextFile.read(file)
                store = store.withPassword(String(password.trimmingSuffix(while: { $0 == "\n" || $0 == "\r" })))
            }
            self.store = store
        } catch let error as PostgresSettingError {
            throw SettingError(error.description)
        }
    }

    private init(store: StoreLocation) {
        self.store = store
    }

    /// A SQLite file.
    static func sqlite(path: String) -> DatabaseLocation {
        DatabaseLocation(store: .sqlite(path: path))
    }

    /// Creates the directory of a SQLite file; nothing for PostgreSQL.
    func prepare() throws {
        if case .sqlite(let path) = store { try TextFile.createParent(of: path) }
    }

    /// The password, if any, is hidden.
    var description: String { store.description }
}

extension String {
    /// The string without the trailing characters that match.
    fileprivate func trimmingSuffix(while matches: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, matches(self[index(before: end)]) { end = index(before: end) }
        return self[..<end]
    }
}

/// Options of a service with a database, besides `--db` itself.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "Seconds to keep retrying while PostgreSQL does not accept a connection at start-up (ORDERHUB_DB_CONNECT_TIMEOUT; default 30).")
    var dbConnectTimeout: Double?

    func connectTimeout() throws -> Duration {
        try Setting.seconds(dbConnectTimeout, env: "ORDERHUB_DB_CONNECT_TIMEOUT", name: "db-connect-timeout", default: 30)
    }
}
