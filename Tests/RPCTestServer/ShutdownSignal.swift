#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Turns SIGTERM and SIGINT into a call: the signal handler only writes a byte to a pipe
/// (async-signal-safe); a Dispatch thread blocked on the pipe runs `action` once.
enum ShutdownSignal {
    /// The pipe's ends, created before any handler is installed.
    static let pipeEnds: (read: Int32, write: Int32) = {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { fatalError("pipe() failed") }
        return (ends[0], ends[1])
    }()

    static func install(_ action: @escaping @Sendable () -> Void) {
        let ends = pipeEnds
        var handler = sigaction()
        handler.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            _ = write(ShutdownSignal.pipeEnds.write, &byte, 1)
        }
        sigemptyset(&handler.sa_mask)
        sigaction(SIGTERM, &handler, nil)
        sigaction(SIGINT, &handler, nil)
        DispatchQueue.global().async {
            var byte: UInt8 = 0
            while read(ends.read, &byte, 1) < 0 && errno == EINTR {}
            action()
        }
    }
}
