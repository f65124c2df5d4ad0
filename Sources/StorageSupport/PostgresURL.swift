/// A `postgres://` (or `postgresql://`) connection URL, as `--db` takes it:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require][&schema=NAME]`.
///
/// User, password and database may be percent-encoded. Without `sslmode` the connection
/// prefers TLS and falls back to plain TCP, as libpq does. `schema` keeps the service's tables
/// in a schema of their own, so Orders and Payments may share one database.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// How the connection uses TLS.
    public enum TLSMode: String, Sendable, Hashable {
        case disable, prefer, require
    }

    /// A host name or IP address (IPv6 without brackets).
    public var host: String
    /// 5432 unless given.
    public var port: Int
    /// The role to log in as.
    public var username: String
    /// nil when the URL has none (trust or peer authentication, or set later).
    public var password: String?
    /// The database to open.
    public var database: String
    /// `prefer` unless `sslmode` says otherwise.
    public var tls: TLSMode
    /// The schema the tables live in; nil for the database's default.
    public var schema: String?

    /// Parses a URL; throws `PostgresSettingError` naming what is wrong.
    public init(parsing text: String) throws(PostgresSettingError) {
        guard let schemeEnd = text.firstRange(of: "://"),
            ["postgres", "postgresql"].contains(text[..<schemeEnd.lowerBound])
        else {
            throw PostgresSettingError.url("must start with postgres:// or postgresql://")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw PostgresSettingError.url("needs a database name: postgres://USER@HOST/DATABASE") }
        let authority = rest[..<slash]
        database = try Self.decode(rest[rest.index(after: slash)...], part: "database")
        guard !database.isEmpty else { throw PostgresSettingError.url("needs a database name: postgres://USER@HOST/DATABASE") }
        guard let at = authority.lastIndex(of: "@") else { throw PostgresSettingError.url("needs a user name: postgres://USER@HOST/DATABASE") }
        let credentials = authority[..<at]
        var hostPort = authority[authority.index(after: at)...]
        if let colon = credentials.firstIndex(of: ":") {
            username = try Self.decode(credentials[..<colon], part: "user")
            password = try Self.decode(credentials[credentials.index(after: colon)...], part: "password")
        } else {
            username = try Self.decode(credentials, part: "user")
            password = nil
        }
        guard !username.isEmpty else { throw PostgresSettingError.url("needs a user name: postgres://USER@HOST/DATABASE") }
        port = 5432
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            // [IPv6]:port
            let after = hostPort[hostPort.index(after: close)...]
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            if after.hasPrefix(":") {
                port = try Self.parsePort(after.dropFirst())
            } else if !after.isEmpty {
                throw PostgresSettingError.url("has a malformed host")
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            port = try Self.parsePort(hostPort[hostPort.index(after: colon)...])
            hostPort = hostPort[..<colon]
            host = String(hostPort)
        } else {
            host = String(hostPort)
        }
        guard !host.isEmpty else { throw PostgresSettingError.url("needs a host") }
        tls = .prefer
        schema = nil
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw PostgresSettingError.url("has a malformed query parameter \"\(pair)\"") }
            switch parts[0] {
            case "sslmode":
                guard let mode = TLSMode(rawValue: String(parts[1])) else {
                    throw PostgresSettingError.url("sslmode must be disable, prefer or require, got \"\(parts[1])\"")
                }
                tls = mode
            case "schema":
                try PostgresIdentifier.check(String(parts[1]), what: "schema")
                schema = String(parts[1])
            default:
                throw PostgresSettingError.url("has an unknown parameter \"\(parts[0])\" (sslmode and schema are understood)")
            }
        }
    }

    /// The URL with the password hidden, for logs.
    public var description: String {
        let secret = password == nil ? "" : ":***"
        let hostText = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(username)\(secret)@\(hostText):\(port)/\(database)?sslmode=\(tls.rawValue)" + (schema.map { "&schema=\($0)" } ?? "")
    }

    /// `host:port` (IPv6 in brackets), for messages: no user, no password.
    public var server: String {
        (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    private static func parsePort(_ text: Substring) throws(PostgresSettingError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else { throw PostgresSettingError.url("has a malformed port \"\(text)\"") }
        return port
    }

    private static func decode(_ text: Substring, part: String) throws(PostgresSettingError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw PostgresSettingError.url("has a malformed percent-escape in the \(part)")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { throw PostgresSettingError.url("has a \(part) that is not UTF-8") }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
