import Dispatch
import Logging
import Synchronization
import TLSSupport
#if canImport(Glibc)
import Glibc
#endif

/// The process's certificate watcher: every TLS context of the process is checked for changed
/// files on a timer and at once on SIGHUP. A changed certificate is used by new connections;
/// open ones keep theirs.
enum CertificateReloading {
    private static let contexts = Mutex<[ReloadableTLSContext]>([])

    /// Checks `context` every `interval` from now on; the first call also installs SIGHUP.
    static func watch(_ context: ReloadableTLSContext, every interval: Duration, logger: Logger) {
        let first = contexts.withLock { contexts in
            contexts.append(context)
            return contexts.count == 1
        }
        // Lives as long as the process, like the listener it serves.
        Task.detached { await context.watch(every: interval) }
        if first { installHangUp(logger: logger) }
    }

    /// Checks every context now.
    static func reloadAll() {
        for context in contexts.withLock({ $0 }) { context.reload() }
    }

    private static func installHangUp(logger: Logger) {
        // SIGHUP's default action ends the process; here it means "read the certificates again".
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler {
            logger.info("SIGHUP: checking TLS certificate files")
            reloadAll()
        }
        source.resume()
        // Written once, here, before any other thread could read it; never read afterwards.
        HangUpSource.source = source
    }
}

/// Keeps the SIGHUP source alive.
private enum HangUpSource {
    nonisolated(unsafe) static var source: (any DispatchSourceSignal)?
}
