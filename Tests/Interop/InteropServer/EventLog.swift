#if canImport(Glibc)
import Glibc
#endif

/// Appends one line per handler event (`StreamingInputCall started`, `… cancelled`) to a file,
/// so a test can prove that a client's cancellation or an expired deadline reached the handler.
///
/// `Sendable`: it holds only an immutable file descriptor opened with `O_APPEND`; each line is
/// one `write(2)`, which the kernel appends atomically, so concurrent handlers never interleave.
final class EventLog: Sendable {
    private let descriptor: Int32?

    /// Appends to `path`; with nil it records nothing.
    init(path: String?) throws {
        guard let path else {
            descriptor = nil
            return
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw EventLogError(path: path, errno: errno) }
        self.descriptor = descriptor
    }

    deinit {
        if let descriptor { close(descriptor) }
    }

    func record(_ method: String, _ event: String) {
        guard let descriptor else { return }
        let line = Array("\(method) \(event)\n".utf8)
        _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// Runs a handler body, recording `started`, then `cancelled` the moment its task is
    /// cancelled (client RST_STREAM, expired deadline), or else `ended` / `failed`.
    func lifecycle<Result: Sendable>(_ method: String, _ body: () async throws -> Result) async throws -> Result {
        record(method, "started")
        do {
            let result = try await withTaskCancellationHandler(operation: body) {
                self.record(method, "cancelled")
            }
            if !Task.isCancelled { record(method, "ended") }
            return result
        } catch {
            if !Task.isCancelled { record(method, "failed") }
            throw error
        }
    }
}

/// The event log file could not be opened.
struct EventLogError: Error, CustomStringConvertible {
    var path: String
    var errno: Int32

    var description: String { "cannot open \(path): errno \(errno)" }
}
