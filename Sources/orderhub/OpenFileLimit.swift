#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging

/// Raises the process's soft limit on open files to its hard limit at start-up.
///
/// Every connection is a file descriptor, and the servers accept up to 1000 connections by
/// default; shells and container runtimes often start processes with a soft limit of 1024,
/// which a busy server would exhaust before its own connection limit. The hard limit is what the
/// administrator allows, so going up to it needs no privilege (Go runtimes do the same).
enum OpenFileLimit {
    static func raiseToHardLimit(logger: Logger) {
        var limit = rlimit()
        guard getrlimit(resourceNumber, &limit) == 0 else { return }
        guard limit.rlim_cur < limit.rlim_max else { return }
        let previous = limit.rlim_cur
        limit.rlim_cur = limit.rlim_max
        if setrlimit(resourceNumber, &limit) != 0 {
            logger.warning("could not raise the open-file limit", metadata: ["soft": "\(previous)", "hard": "\(limit.rlim_max)", "errno": "\(errno)"])
        } else {
            logger.debug("raised the open-file limit", metadata: ["from": "\(previous)", "to": "\(limit.rlim_max)"])
        }
    }

    // Glibc imports RLIMIT_NOFILE as an enum case, Musl as a plain integer.
    #if canImport(Glibc)
    private static let resourceNumber = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resourceNumber = RLIMIT_NOFILE
    #endif
}
