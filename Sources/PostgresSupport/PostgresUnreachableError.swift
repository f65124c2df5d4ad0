/// The database server did not accept a connection within the startup timeout.
public struct PostgresUnreachableError: Error, Sendable, CustomStringConvertible {
    /// `host:port` of the server (never the password).
    public var server: String
    /// How long connecting was tried.
    public var timeout: Duration
    /// How many connection attempts failed.
    public var attempts: Int
    /// The last attempt's failure.
    public var lastError: String

    /// A sentence for the user, naming the server.
    public var description: String {
        "PostgreSQL at \(server) did not accept a connection within \(timeout) (\(attempts) attempts); last error: \(lastError)"
    }
}
