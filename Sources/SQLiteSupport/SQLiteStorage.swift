import Logging
import SQLiteNIO
import StorageSupport
import Synchronization

/// One service's SQLite database file: a writer connection (hand it to a `GroupCommitWriter`)
/// and reader connections for queries, which WAL lets run while a write commits.
///
/// Every connection runs with `synchronous=FULL` (a committed transaction survives power
/// loss) and a busy timeout; the file is in WAL mode; the schema is migrated on open.
/// Every SQLite call runs on a thread pool (the writer's own thread, sqlite-nio's shared pool
/// for readers), never on an event loop.
public final class SQLiteStorage: Sendable {
    /// Tuning knobs.
    public struct Config: Sendable {
        /// Reader connections, used round-robin.
        public var readerCount: Int
        /// How long a statement waits for a lock before failing with SQLITE_BUSY.
        public var busyTimeout: Duration

        public init(readerCount: Int = 2, busyTimeout: Duration = .seconds(5)) {
            self.readerCount = readerCount
            self.busyTimeout = busyTimeout
        }

        public static var defaults: Config { Config() }
    }

    /// The only connection that writes.
    public let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let nextReader = Atomic<Int>(0)
    /// The file path.
    public let path: String

    private let writerThread: NIOThreadPool

    private init(path: String, writer: SQLiteConnection, writerThread: NIOThreadPool, readers: [SQLiteConnection]) {
        self.path = path
        self.writer = writer
        self.writerThread = writerThread
        self.readers = readers
    }

    /// Opens (creating if needed) the database at `path` and applies the missing migrations.
    public static func open(
        path: String,
        migrations: [SchemaMigration],
        config: Config = .defaults,
        logger: Logger
    ) async throws -> SQLiteStorage {
        // The writer gets a thread of its own: its fsyncs never hold up reads, and reads never
        // queue in front of a commit.
        let writerThread = NIOThreadPool(numberOfThreads: 1)
        writerThread.start()
        let writer = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: writerThread, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()
        )
        var readers: [SQLiteConnection] = []
        do {
            try await configure(writer, config: config)
            try await writer.execute("PRAGMA journal_mode = WAL")
            try await SchemaMigrator(connection: writer, logger: logger).migrate(to: migrations)
            for _ in 0..<max(1, config.readerCount) {
                let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                readers.append(reader)
                try await configure(reader, config: config)
                try await reader.execute("PRAGMA query_only = 1")
            }
        } catch {
            for connection in [writer] + readers { try? await connection.close() }
            try? await writerThread.shutdownGracefully()
            throw error
        }
        return SQLiteStorage(path: path, writer: writer, writerThread: writerThread, readers: readers)
    }

    private static func configure(_ connection: SQLiteConnection, config: Config) async throws {
        let millis = config.busyTimeout.components.seconds * 1000 + config.busyTimeout.components.attoseconds / 1_000_000_000_000_000
        // busy_timeout replaces sqlite-nio's default busy handler, which retries forever.
        try await connection.execute("PRAGMA busy_timeout = \(millis)")
        try await connection.execute("PRAGMA synchronous = FULL")
        try await connection.execute("PRAGMA foreign_keys = ON")
    }

    /// A reader connection (round-robin). Readers see the last committed state.
    public var reader: SQLiteConnection {
        readers[nextReader.wrappingAdd(1, ordering: .relaxed).oldValue % readers.count]
    }

    /// Closes every connection. Close the writer's `GroupCommitWriter` first.
    public func close() async throws {
        for connection in readers + [writer] { try await connection.close() }
        try await writerThread.shutdownGracefully()
    }
}

/// Tuning knobs of a service's SQLite store (each store names it `Config`).
public struct SQLiteStoreConfig: Sendable {
    /// Connections, busy timeout.
    public var storage: SQLiteStorage.Config
    /// Most writes committed in one transaction.
    public var maxBatchSize: Int

    /// Tuning knobs; the defaults suit one service's file.
    public init(storage: SQLiteStorage.Config = .defaults, maxBatchSize: Int = 256) {
        self.storage = storage
        self.maxBatchSize = maxBatchSize
    }

    /// The defaults.
    public static var defaults: SQLiteStoreConfig { SQLiteStoreConfig() }
}
