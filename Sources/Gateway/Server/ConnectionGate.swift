import NIOCore
import Synchronization

/// Counts the gateway's open client connections and refuses one past `limit`, closing it at
/// once: each holds a descriptor and buffers, and without a cap a few thousand idle or
/// dribbling clients exhaust them for everyone.
final class ConnectionGate: Sendable {
    let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Admits `channel` (and counts it until it closes), or returns false at the limit.
    func admit(_ channel: any Channel) -> Bool {
        let (exchanged, _) = open.compareExchangeLoop { $0 < limit ? $0 + 1 : nil }
        guard exchanged else { return false }
        channel.closeFuture.whenComplete { _ in self.open.subtract(1, ordering: .relaxed) }
        return true
    }

    /// Connections open now.
    var count: Int { open.load(ordering: .relaxed) }
}

extension Atomic<Int> {
    /// Applies `update` atomically until it succeeds; nil from `update` gives up.
    fileprivate func compareExchangeLoop(_ update: (Int) -> Int?) -> (exchanged: Bool, original: Int) {
        var current = load(ordering: .relaxed)
        while true {
            guard let next = update(current) else { return (false, current) }
            let (exchanged, original) = compareExchange(expected: current, desired: next, ordering: .relaxed)
            if exchanged { return (true, original) }
            current = original
        }
    }
}

/// The gateway refused a connection over its connection limit.
struct ConnectionLimitReached: Error {}
