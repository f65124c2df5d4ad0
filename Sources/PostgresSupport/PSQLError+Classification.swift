import PostgresNIO
import StorageSupport

extension PSQLError {
    /// The server's SQLSTATE code, when the server reported the error.
    public var sqlState: String? { serverInfo?[.sqlState] }

    /// A serialization failure (40001) or a deadlock (40P01): the transaction was rolled back
    /// and may succeed if run again.
    var isTransient: Bool {
        sqlState == "40001" || sqlState == "40P01"
    }

    /// The server's message, or the client-side code: never a query or a password.
    var detail: String {
        serverInfo?[.message] ?? "\(code)"
    }
}

extension StorageError {
    /// PostgreSQL's failures as storage errors: nil for errors that fit none (they stay
    /// `PSQLError`s and count as internal errors).
    ///
    /// SQLSTATE classes: 08 connection exception, 57P01–57P03 the server shutting down or
    /// starting, 53 insufficient resources (53100 the disk full), 40 and 55P03 lock conflicts,
    /// 23 integrity constraints, XX001/XX002 damaged data.
    public init?(translating error: PSQLError) {
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .sslUnsupported, .failedToAddSSLHandler:
            self = .unavailable(error.detail)
        case .server:
            guard let state = error.sqlState else { return nil }
            switch state {
            case "53100": self = .diskFull(error.detail)
            case "57P01", "57P02", "57P03": self = .unavailable(error.detail)
            case "40001", "40P01", "55P03", "57014": self = .busy(error.detail)
            case "XX001", "XX002": self = .corrupt(error.detail)
            case _ where state.hasPrefix("08"): self = .unavailable(error.detail)
            case _ where state.hasPrefix("53"): self = .busy(error.detail)
            case _ where state.hasPrefix("23"): self = .constraint(error.detail)
            default: return nil
            }
        default:
            return nil
        }
    }
}
