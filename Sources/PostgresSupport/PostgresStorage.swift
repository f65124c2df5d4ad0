import Logging
import PostgresNIO
import StorageSupport

/// One service's PostgreSQL database: a connection pool (`PostgresClient`) running for the
/// storage's lifetime, the schema migrated on open, and transactions that hand back the
/// caller's own errors.
///
/// Every session runs with `synchronous_commit = on`, whatever the server's default, so a
/// committed transaction is on disk (in the WAL) before COMMIT returns.
public final class PostgresStorage: Sendable {
    /// Tuning knobs.
    public struct Config: Sendable {
        /// Most connections the pool opens. Several replicas share the server's `max_connections`.
        public var maxConnections: Int
        /// A schema to keep the tables in (created if missing, first on the search path); nil
        /// for the URL's `schema`, or else the database's default (`public`). Lets services or
        /// test runs share a database.
        public var schema: String?
        /// Shown in `pg_stat_activity`.
        public var applicationName: String
        /// How long `open` keeps retrying, with backoff, while the server does not accept a
        /// connection (it may be starting, or not reachable yet) before giving up.
        public var connectTimeout: Duration
        /// How long a statement or transaction waits for a pooled connection before it fails
        /// with `StorageError.unavailable` (the server is down or every connection is busy).
        public var leaseTimeout: Duration

        /// Tuning knobs.
        public init(
            maxConnections: Int = 16, schema: String? = nil, applicationName: String = "orderhub", connectTimeout: Duration = .seconds(30),
            leaseTimeout: Duration = .seconds(1)
        ) {
            self.maxConnections = maxConnections
            self.schema = schema
            self.applicationName = applicationName
            self.connectTimeout = connectTimeout
            self.leaseTimeout = leaseTimeout
        }

        /// The defaults.
        public static var defaults: Config { Config() }
    }

    /// The pool. Lease a connection with `withConnection` or use `transaction`.
    public let client: PostgresClient
    /// Where the tables live: the configured schema, or `public`.
    public let schema: String
    /// `Config.leaseTimeout`.
    let leaseTimeout: Duration
    /// When a statement last succeeded: what tells a busy pool from an unreachable server.
    let lastSuccess: LastSuccess
    /// Gives up on leases that wait too long (see `leased`).
    let watchdog: PostgresLeaseWatchdog
    private let runner: Task<Void, Never>
    private let logger: Logger

    private init(client: PostgresClient, schema: String, watchdog: PostgresLeaseWatchdog, runner: Task<Void, Never>, logger: Logger) {
        self.client = client
        self.schema = schema
        self.leaseTimeout = watchdog.leaseTimeout
        self.lastSuccess = watchdog.lastSuccess
        self.watchdog = watchdog
        self.runner = runner
        self.logger = logger
    }

    /// Connects, creates the schema if one is configured, and applies the missing migrations.
    /// Several processes may open the same database at once: migrations run under an
    /// advisory lock, so exactly one applies each. Waits up to `config.connectTimeout` for the
    /// server to accept a connection, then throws `PostgresUnreachableError`.
    public static func open(
        url: PostgresURL, migrations: [SchemaMigration], config: Config = .defaults, logger: Logger
    ) async throws -> PostgresStorage {
        let schema = config.schema ?? url.schema
        if let schema { try PostgresIdentifier.check(schema, what: "schema") }
        try await PostgresServerWait.untilReachable(url, timeout: config.connectTimeout, logger: logger)
        var configuration = url.clientConfiguration
        configuration.options.maximumConnections = max(2, config.maxConnections)
        configuration.options.additionalStartupParameters =
            [
                ("synchronous_commit", "on"),
                ("application_name", config.applicationName),
            ] + (schema.map { [("search_path", $0)] } ?? [])
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let watchdog = PostgresLeaseWatchdog(leaseTimeout: config.leaseTimeout, lastSuccess: LastSuccess())
        // The pool and the watchdog run until `close` cancels them.
        let runner = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                group.addTask { await watchdog.run() }
            }
        }
        let storage = PostgresStorage(client: client, schema: schema ?? "public", watchdog: watchdog, runner: runner, logger: logger)
        do {
            try await PostgresMigrator(storage: storage, logger: logger).migrate(to: migrations, creatingSchema: schema)
        } catch {
            await storage.close()
            throw error
        }
        return storage
    }

    /// Runs `body` in one transaction on a pooled connection: COMMIT when it returns, ROLLBACK
    /// when it throws (its own error comes back unwrapped). A serialization failure or a
    /// deadlock, which PostgreSQL asks the client to retry, runs the whole body again.
    ///
    /// The database's failures come back as `StorageError`s (see `StorageError.init(translating:)`);
    /// `body`'s own errors unchanged.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 1
        let logger = self.logger
        while true {
            do {
                return try await leased { connection in
                    try await connection.transaction(logger: logger) { connection in
                        do {
                            return try await body(connection)
                        } catch let error as PSQLError {
                            throw error
                        } catch {
                            throw BodyError(error: error)
                        }
                    }
                }
            } catch let error as PSQLError where error.isTransient && attempt < 3 {
                attempt += 1
                logger.debug("transaction retried", metadata: ["sqlstate": "\(error.serverInfo?[.sqlState] ?? "")"])
            } catch let error as BodyError {
                throw error.error
            } catch {
                throw Self.translated(error)
            }
        }
    }

    /// Runs one statement on a pooled connection and returns its rows. A lone statement is a
    /// transaction of its own (durable when this returns). Failures as `transaction`'s.
    public func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        let logger = self.logger
        do {
            return try await leased { try await $0.query(query, logger: logger).collect() }
        } catch {
            throw Self.translated(error)
        }
    }

    /// Runs one statement whose rows, if any, are not needed. Durable when this returns.
    public func execute(_ query: PostgresQuery) async throws {
        let logger = self.logger
        do {
            try await leased { _ = try await $0.query(query, logger: logger) }
        } catch {
            throw Self.translated(error)
        }
    }

    /// A failure of `transaction`'s body that is not the database's: passed on as it was.
    private struct BodyError: Error {
        var error: any Error
    }

    /// A failure of the pool or a query as a `StorageError` where one fits. Anything that is
    /// not a `PSQLError` came from the pool itself (no connection could be made before its
    /// circuit breaker tripped): the server is unreachable. A cancelled wait is the caller's
    /// cancellation.
    static func translated(_ error: any Error) -> any Error {
        switch error {
        case let error as PSQLError where error.code == .queryCancelled: CancellationError()
        case let error as PSQLError: StorageError(translating: error) ?? error
        case is StorageError, is CancellationError: error
        default: StorageError.unavailable(String(describing: error))
        }
    }

    /// Stops the pool, closing every connection. Stop users of `client` first.
    public func close() async {
        runner.cancel()
        await runner.value
    }
}

/// PostgresNIO's view of a `--db` URL.
extension PostgresURL {
    /// The configuration of one connection (no pool) to this URL.
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let mode: PostgresConnection.Configuration.TLS =
            switch tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: mode)
    }

    /// The client configuration for this URL.
    public var clientConfiguration: PostgresClient.Configuration {
        let mode: PostgresClient.Configuration.TLS =
            switch tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        return PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: mode)
    }
}
