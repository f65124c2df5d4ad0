import Logging
import NIOSSL
import Synchronization

/// An `NIOSSLContext` built from certificate, key and CA files, built again when their contents
/// change. Each new connection takes `current`; connections already open keep the context
/// they were made with, so a rotation (cert-manager renewing a Secret, SIGHUP after an operator
/// replaced a file) drops nothing. A file that no longer makes a valid context is logged and
/// the previous context stays in use.
///
/// ```swift
/// let tls = try ReloadableTLSContext(server: .init(certificateChain: .file(cert), privateKey: .file(key)), logger: logger)
/// let watcher = Task { await tls.watch(every: .seconds(5)) }
/// // per accepted connection:
/// try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.current))
/// ```
public final class ReloadableTLSContext: Sendable {
    /// What one call to `reload()` did.
    public enum Outcome: Sendable, Equatable {
        /// The files hold what they held at the last build (or the last failed attempt).
        case unchanged
        /// A new context is in use for new connections.
        case reloaded
        /// The new contents did not make a context; the previous one stays.
        case failed
    }

    /// The files read again on every check.
    public let files: [String]
    private let build: @Sendable () throws -> NIOSSLContext
    private let logger: Logger
    private let context: Mutex<NIOSSLContext>
    /// The file contents last tried (built or failed), so a bad file is reported once.
    private let lastSeen: Mutex<[[UInt8]?]>

    /// Builds the first context now; a file that cannot be used stops start-up here.
    public init(files: [String], logger: Logger, build: @escaping @Sendable () throws -> NIOSSLContext) throws {
        self.files = files
        self.build = build
        self.logger = logger
        let snapshot = Self.snapshot(files)
        self.context = Mutex(try build())
        self.lastSeen = Mutex(snapshot)
    }

    /// A listener's context from its settings.
    public convenience init(server config: ServerTLSConfig, logger: Logger) throws {
        try self.init(files: config.files, logger: logger, build: { try config.makeContext() })
    }

    /// A client's context from its settings.
    public convenience init(client config: ClientTLSConfig, logger: Logger) throws {
        try self.init(files: config.files, logger: logger, build: { try config.makeContext() })
    }

    /// The context for a new connection.
    public var current: NIOSSLContext {
        context.withLock { $0 }
    }

    /// Reads the files; when their contents changed, builds and installs a new context.
    @discardableResult
    public func reload() -> Outcome {
        // One check at a time (the poll and SIGHUP may coincide); `current` stays free meanwhile.
        lastSeen.withLock { lastSeen in
            let snapshot = Self.snapshot(files)
            guard snapshot != lastSeen else { return .unchanged }
            lastSeen = snapshot
            do {
                let fresh = try build()
                context.withLock { $0 = fresh }
                logger.info("TLS certificates reloaded", metadata: ["files": "\(files.joined(separator: ","))"])
                return .reloaded
            } catch {
                logger.error(
                    "TLS certificates changed but cannot be used; keeping the previous ones",
                    metadata: ["files": "\(files.joined(separator: ","))", "error": "\(error)"])
                return .failed
            }
        }
    }

    /// Checks the files every `interval` until the task is cancelled.
    public func watch(every interval: Duration) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            reload()
        }
    }

    /// Every file's bytes, nil for one that cannot be read right now (mid-rotation).
    private static func snapshot(_ files: [String]) -> [[UInt8]?] {
        files.map { try? PEMSource.readFile($0) }
    }
}
