import Logging
import PostgresNIO
import Synchronization

/// Keeps one pooled connection LISTENing on a channel for the listener's lifetime and hands
/// every notification's payload to `onNotification`.
///
/// PostgreSQL drops notifications sent while nobody listens, so a dropped connection can miss
/// some: after every (re)connect, once LISTEN is in effect, `onListening` runs; it re-reads
/// whatever it cares about, and anything committed after that arrives as a notification. A
/// periodic `SELECT 1` on the listening connection finds a connection that died silently.
public final class PostgresNotificationListener: Sendable {
    /// Tuning knobs.
    public struct Config: Sendable {
        /// How often the listening connection is checked.
        public var heartbeatInterval: Duration
        /// First wait before reconnecting; doubles up to `maxReconnectDelay`.
        public var reconnectDelay: Duration
        /// The longest wait between reconnect attempts.
        public var maxReconnectDelay: Duration

        public init(heartbeatInterval: Duration = .seconds(10), reconnectDelay: Duration = .milliseconds(100), maxReconnectDelay: Duration = .seconds(5)) {
            self.heartbeatInterval = heartbeatInterval
            self.reconnectDelay = reconnectDelay
            self.maxReconnectDelay = maxReconnectDelay
        }

        /// The defaults.
        public static var defaults: Config { Config() }
    }

    /// The notification stream ended without an error (the connection closed).
    struct StreamEnded: Error {}

    private let storage: PostgresStorage
    private let channel: String
    private let config: Config
    private let logger: Logger
    private let onListening: @Sendable () async -> Void
    private let onNotification: @Sendable (String) async -> Void
    private let loop = Mutex<Task<Void, Never>?>(nil)
    private let connects = Atomic<Int>(0)

    /// `channel` must be a plain identifier (`PostgresIdentifier`).
    public init(
        storage: PostgresStorage, channel: String, config: Config = .defaults, logger: Logger,
        onListening: @escaping @Sendable () async -> Void, onNotification: @escaping @Sendable (String) async -> Void
    ) {
        self.storage = storage
        self.channel = channel
        self.config = config
        self.logger = logger
        self.onListening = onListening
        self.onNotification = onNotification
    }

    /// Starts listening in the background.
    public func start() {
        loop.withLock { loop in
            guard loop == nil else { return }
            loop = Task { await self.run() }
        }
    }

    /// How many times LISTEN took effect (1 after the first connect; more after reconnects).
    public var connectCount: Int { connects.load(ordering: .relaxed) }

    /// Stops listening and returns the connection to the pool.
    public func shutdown() async {
        let task = loop.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    private func run() async {
        var delay = config.reconnectDelay
        while !Task.isCancelled {
            do {
                try await storage.client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        connects.add(1, ordering: .relaxed)
                        delay = config.reconnectDelay
                        await onListening()
                        try await consume(notifications, heartbeatOn: connection)
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("LISTEN connection lost; reconnecting", metadata: ["channel": "\(channel)", "error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, config.maxReconnectDelay)
        }
    }

    /// Returns only by throwing: when the connection fails or the task is cancelled.
    private func consume(_ notifications: PostgresNotificationSequence, heartbeatOn connection: PostgresConnection) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await notification in notifications { await self.onNotification(notification.payload) }
                throw StreamEnded()
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: self.config.heartbeatInterval)
                    try await connection.query("SELECT 1", logger: self.logger)
                }
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }
}
