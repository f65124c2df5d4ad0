import PostgresNIO

extension PSQLError {
    /// The server's SQLSTATE code, when the server reported the error.
    public var sqlState: String? { serverInfo?[.sqlState] }

    /// A serialization failure (40001) or a deadlock (40P01): the transaction was rolled back
    /// and may succeed if run again.
    var isTransient: Bool {
        sqlState == "40001" || sqlState == "40P01"
    }
}
