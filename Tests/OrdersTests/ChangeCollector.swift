import Synchronization
import Testing
@testable import Orders

/// Collects an order's changes in the background so a case can wait for one with a bound
/// (a liveness limit, not a timing assertion) instead of hanging when it never comes.
final class ChangeCollector: Sendable {
    private final class Seen: Sendable {
        let changes = Mutex<[OrderChange]>([])
    }

    private let seen = Seen()
    private let task: Task<Void, Never>

    init(_ changes: AsyncStream<OrderChange>) {
        let seen = self.seen
        task = Task { for await change in changes { seen.changes.withLock { $0.append(change) } } }
    }

    deinit { task.cancel() }

    /// Everything received so far, duplicates included.
    var all: [OrderChange] { seen.changes.withLock { $0 } }

    /// The first change with `version`, waiting for it up to `timeout`; fails the case if it
    /// never arrives.
    func change(version: Int64, timeout: Duration = .seconds(20), sourceLocation: SourceLocation = #_sourceLocation) async throws -> OrderChange {
        try await eventually(timeout: timeout, "change to version \(version)", sourceLocation: sourceLocation) {
            all.contains { $0.version == version }
        }
        return all.first { $0.version == version }!
    }
}
