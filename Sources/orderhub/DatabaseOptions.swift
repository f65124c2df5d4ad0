import ArgumentParser

/// Options of a service with a database, besides `--db` itself.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "Seconds to keep retrying while PostgreSQL does not accept a connection at start-up (ORDERHUB_DB_CONNECT_TIMEOUT; default 30).")
    var dbConnectTimeout: Double?

    func connectTimeout() throws -> Duration {
        try Setting.seconds(dbConnectTimeout, env: "ORDERHUB_DB_CONNECT_TIMEOUT", name: "db-connect-timeout", default: 30)
    }
}
