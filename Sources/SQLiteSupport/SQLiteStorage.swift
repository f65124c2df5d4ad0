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
///
/// Each event loop of NIO's shared group (the one the servers run on) has readers of its own: a
/// query sent from a call's handler, which runs on its connection's event loop, gets its rows
/// back on that same loop, so the call resumes without waking another thread. Readers can map the
/// file into memory (`mmapSize`, off by default): a cached page is then read without a system
/// call, but every page a reader touched counts in the process's RSS.
public final class SQLiteStorage: Sendable {
    /// Tuning knobs.
    public struct Config: Sendable {
        /// Reader connections per event loop, used round-robin.
        public var readersPerEventLoop: Int
        /// How long a statement waits for a lock before failing with SQLITE_BUSY.
        public var busyTimeout: Duration
        /// Bytes of the file a reader reads through a memory map (`PRAGMA mmap_size`; 0, the
        /// default, for `pread` only). Writes never go through the map. Off by default because
        /// the mapped pages inflate RSS to the database's size (1 GiB for 1 M orders) for a few
        /// percent of a cache miss's CPU.
        public var mmapSize: Int
        /// Bytes of pages the writer keeps in its own cache (`PRAGMA cache_size`; SQLite's
        /// default is 2 MiB). A write that finds its pages cached (an order confirmed or
        /// delivered seconds after its creation, the index pages around it) reads nothing from
        /// the file; at 2 MiB those pages were evicted under load and each write re-read them.
        public var writerCacheSize: Int

        public init(
            readersPerEventLoop: Int = 2, busyTimeout: Duration = .seconds(5), mmapSize: Int = 0, writerCacheSize: Int = 16 << 20
        ) {
            self.readersPerEventLoop = readersPerEventLoop
            self.busyTimeout = busyTimeout
            self.mmapSize = mmapSize
            self.writerCacheSize = writerCacheSize
        }

        public static var defaults: Config { Config() }
    }

    /// The only connection that writes.
    public let writer: SQLiteConnection
    /// The readers, grouped by the event loop their answers come back on.
    private let readersByLoop: [[SQLiteConnection]]
    private let readers: [SQLiteConnection]
    private let nextReader = Atomic<Int>(0)
    /// The file path.
    public let path: String

    private let writerThread: NIOThreadPool

    private init(path: String, writer: SQLiteConnection, writerThread: NIOThreadPool, readersByLoop: [[SQLiteConnection]]) {
        self.path = path
        self.writer = writer
        self.writerThread = writerThread
        self.readersByLoop = readersByLoop
        self.readers = readersByLoop.flatMap { $0 }
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
        let group = MultiThreadedEventLoopGroup.singleton
        let writer = try await SQLiteConnection.open(storage: .file(path: path), threadPool: writerThread, logger: logger, on: group.any())
        var readersByLoop: [[SQLiteConnection]] = []
        do {
            try await configure(writer, config: config)
            try await writer.execute("PRAGMA journal_mode = WAL")
            // A multi-row statement inside the batch's transaction keeps a statement journal (to
            // undo just that statement on a constraint failure); in memory it costs no temporary
            // file writes. Temporary tables and sorts stay in memory too.
            try await writer.execute("PRAGMA temp_store = MEMORY")
            // Negative: a size in KiB rather than pages.
            try await writer.execute("PRAGMA cache_size = \(-max(1, config.writerCacheSize >> 10))")
            try await SchemaMigrator(connection: writer, logger: logger).migrate(to: migrations)
            for loop in group.makeIterator() {
                var readers: [SQLiteConnection] = []
                defer { readersByLoop.append(readers) }
                for _ in 0..<max(1, config.readersPerEventLoop) {
                    let reader = try await SQLiteConnection.open(storage: .file(path: path), threadPool: .singleton, logger: logger, on: loop)
                    readers.append(reader)
                    try await configure(reader, config: config)
                    try await reader.execute("PRAGMA query_only = 1")
                    try await reader.execute("PRAGMA mmap_size = \(max(0, config.mmapSize))")
                }
            }
        } catch {
            for connection in [writer] + readersByLoop.flatMap({ $0 }) { try? await connection.close() }
            try? await writerThread.shutdownGracefully()
            throw error
        }
        return SQLiteStorage(path: path, writer: writer, writerThread: writerThread, readersByLoop: readersByLoop)
    }

    private static func configure(_ connection: SQLiteConnection, config: Config) async throws {
        let millis = config.busyTimeout.components.seconds * 1000 + config.busyTimeout.components.attoseconds / 1_000_000_000_000_000
        // busy_timeout replaces sqlite-nio's default busy handler, which retries forever.
        try await connection.execute("PRAGMA busy_timeout = \(millis)")
        try await connection.execute("PRAGMA synchronous = FULL")
        try await connection.execute("PRAGMA foreign_keys = ON")
    }

    /// A reader connection: on one of the group's event loops, one of that loop's readers
    /// (round-robin), so the rows come back on the caller's thread; elsewhere, any reader.
    /// Readers see the last committed state.
    public var reader: SQLiteConnection {
        let turn = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
        for local in readersByLoop where local.first?.eventLoop.inEventLoop == true {
            return local[turn % local.count]
        }
        return readers[turn % readers.count]
    }

    /// Closes every connection. Close the writer's `GroupCommitWriter` first.
    public func close() async throws {
        for connection in readers + [writer] { try await connection.close() }
        try await writerThread.shutdownGracefully()
    }
}

/// Tuning knobs of a service's SQLite store (each store names it `Config`).
public struct SQLiteStoreConfig: Sendable {
    /// Connections, busy timeout, memory map.
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
