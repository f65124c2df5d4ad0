import Logging
import PostgresNIO
import PostgresSupport
import SQLiteNIO
import SQLiteSupport

/// A table as the contract suites compare it across databases: its columns (name, integer or
/// text, nullable) and the names of its indexes.
public struct TableShape: Sendable, Hashable, CustomStringConvertible {
    /// One column, reduced to what both databases can say alike.
    public struct Column: Sendable, Hashable {
        /// The column name.
        public var name: String
        /// "integer" or "text".
        public var kind: String
        /// Whether NULL is allowed.
        public var nullable: Bool
    }

    /// The columns.
    public var columns: Set<Column>
    /// Index names (no primary-key or unique-constraint indexes).
    public var indexes: Set<String>

    /// For failure messages.
    public var description: String {
        let columnText = columns.sorted { $0.name < $1.name }.map { "\($0.name) \($0.kind)\($0.nullable ? "" : " not null")" }
        return "(" + columnText.joined(separator: ", ") + ") indexes: " + indexes.sorted().joined(separator: ", ")
    }

    /// Every table of a SQLite file, by name.
    public static func sqlite(path: String) async throws -> [String: TableShape] {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: PostgresTestDatabase.logger)
        do {
            let shapes = try await sqliteShapes(on: connection)
            try await connection.close()
            return shapes
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static func sqliteShapes(on connection: SQLiteConnection) async throws -> [String: TableShape] {
        var shapes: [String: TableShape] = [:]
        let tables = try await connection.rows("SELECT name FROM sqlite_master WHERE type = 'table'")
        for table in tables {
            let name = try table.text("name")
            var columns: Set<Column> = []
            // PRAGMA table_info: a declared PRIMARY KEY column may be NULL-able in SQLite's
            // eyes; the key columns count as NOT NULL, as PostgreSQL makes them.
            for row in try await connection.rows("SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info('\(name)')") {
                let type = try row.text("type").uppercased()
                columns.insert(
                    Column(
                        name: try row.text("name"), kind: type.hasPrefix("INT") ? "integer" : "text",
                        nullable: try row.int64("nn") == 0 && row.int64("pk") == 0
                    ))
            }
            let indexes = try await connection.rows(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '\(name)' AND sql IS NOT NULL"
            )
            shapes[name] = TableShape(columns: columns, indexes: Set(try indexes.map { try $0.text("name") }))
        }
        return shapes
    }

    /// Every table of a PostgreSQL schema, by name (primary-key indexes left out, as SQLite
    /// has none by name).
    public static func postgres(schema: String, on storage: PostgresStorage) async throws -> [String: TableShape] {
        var shapes: [String: TableShape] = [:]
        let columns = try await storage.rows(
            """
            SELECT table_name::TEXT AS table_name, column_name::TEXT AS column_name, data_type::TEXT AS data_type,
                is_nullable::TEXT AS is_nullable
            FROM information_schema.columns WHERE table_schema = \(schema)
            """)
        for postgresRow in columns {
            let row = postgresRow.makeRandomAccess()
            let type = try row.text("data_type")
            let column = Column(
                name: try row.text("column_name"), kind: type == "bigint" ? "integer" : type == "text" ? "text" : type,
                nullable: try row.text("is_nullable") == "YES"
            )
            shapes[try row.text("table_name"), default: TableShape(columns: [], indexes: [])].columns.insert(column)
        }
        let indexes = try await storage.rows(
            """
            SELECT tablename::TEXT AS table_name, indexname::TEXT AS index_name FROM pg_indexes
            WHERE schemaname = \(schema) AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'
            """)
        for postgresRow in indexes {
            let row = postgresRow.makeRandomAccess()
            shapes[try row.text("table_name"), default: TableShape(columns: [], indexes: [])].indexes.insert(try row.text("index_name"))
        }
        return shapes
    }
}
