import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Waits for SIGTERM or SIGINT (Ctrl-C), the signals that ask a service to drain and exit.
enum TerminationSignal {
    /// Returns the name of the first signal received.
    static func wait() async -> String {
        await withCheckedContinuation { continuation in
            let once = Once()
            var sources: [any DispatchSourceSignal] = []
            for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
                // The default action would kill the process before it drains.
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    if once.claim() { continuation.resume(returning: name) }
                }
                source.resume()
                sources.append(source)
            }
            // The sources live as long as the process.
            Retained.sources = sources
        }
    }
}

/// Keeps the signal sources alive.
private enum Retained {
    nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []
}

/// True exactly once, from any thread.
private final class Once: Sendable {
    private let flag = Mutex(false)

    func claim() -> Bool {
        flag.withLock { claimed in
            defer { claimed = true }
            return !claimed
        }
    }
}
