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
