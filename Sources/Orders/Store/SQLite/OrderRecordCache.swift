import Synchronization

/// Orders recently read or written by the SQLite store, so a GetOrder of a recent order costs no
/// query. Sound only because the SQLite store is its database's one writer: every change to an
/// order row passes through `OrderWriteExecutor`, which tells this cache before the transaction
/// commits (`invalidate`) and after (`committed`, `created`).
///
/// A read that missed fills the cache only if no write touched the cache while it ran
/// (`readToken` / `fill`): otherwise it may hold a state older than one already published, and
/// is simply not kept. Two generations bound the memory: when the newer one is full it becomes
/// the older one and the previous older one is dropped; a hit in the older one moves up. A
/// generation size of zero turns the cache off: every lookup misses and nothing is kept.
final class OrderRecordCache: Sendable {
    private typealias Generation = [String: OrderRecord]

    private struct State {
        var recent: Generation = [:]
        var older: Generation = [:]
        /// Bumped by every write; a read's fill is refused when it moved.
        var writes: UInt64 = 0
    }

    private let state = Mutex(State())
    /// Orders per generation; at most twice this many are held.
    let generationSize: Int

    init(generationSize: Int = 8192) {
        precondition(generationSize >= 0)
        self.generationSize = generationSize
    }

    /// A cache holding at most `capacity` orders (rounded up to even); 0 turns it off.
    convenience init(capacity: Int) {
        precondition(capacity >= 0)
        self.init(generationSize: (capacity + 1) / 2)
    }

    /// The cached order, if any.
    func lookup(_ id: String) -> OrderRecord? {
        if generationSize == 0 { return nil }
        let (record, dropped) = state.withLock { state -> (OrderRecord?, Generation?) in
            if let record = state.recent[id] { return (record, nil) }
            guard let record = state.older.removeValue(forKey: id) else { return (nil, nil) }
            return (record, Self.insert(record, into: &state, generationSize: generationSize))
        }
        _ = dropped  // freed here, after the lock
        return record
    }

    /// Taken before a read's query; hand it to `fill`.
    func readToken() -> UInt64 {
        state.withLock { $0.writes }
    }

    /// Keeps what a read found, unless a write happened since `token`.
    func fill(_ record: OrderRecord, token: UInt64) {
        let dropped = state.withLock { state -> Generation? in
            guard state.writes == token else { return nil }
            return Self.insert(record, into: &state, generationSize: generationSize)
        }
        _ = dropped  // freed here, after the lock
    }

    /// A transaction is about to change these orders: forget them until it has committed (if
    /// the commit fails, the next read goes to the database). A transaction that changes no
    /// order (creates, job claims and deletions) leaves reads in flight free to fill.
    func invalidate(_ ids: some Sequence<String>) {
        var ids = ids.makeIterator()
        guard let first = ids.next() else { return }
        state.withLock { state in
            state.writes &+= 1
            state.recent.removeValue(forKey: first)
            state.older.removeValue(forKey: first)
            while let id = ids.next() {
                state.recent.removeValue(forKey: id)
                state.older.removeValue(forKey: id)
            }
        }
    }

    /// Transitions committed: a cached order takes each change's fields (read back from the
    /// row, so they are the stored values).
    func committed(_ changes: [OrderChange]) {
        var dropped: [Generation] = []  // freed when this returns, after the lock
        state.withLock { state in
            state.writes &+= 1
            for change in changes {
                guard let record = state.recent[change.orderID] ?? state.older[change.orderID],
                    record.version < change.version
                else { continue }
                state.older.removeValue(forKey: change.orderID)
                if let generation = Self.insert(record.applying(change), into: &state, generationSize: generationSize) {
                    dropped.append(generation)
                }
            }
        }
    }

    /// New orders committed, as they were inserted.
    func created(_ records: [OrderRecord]) {
        var dropped: [Generation] = []  // freed when this returns, after the lock
        state.withLock { state in
            state.writes &+= 1
            for record in records {
                if let generation = Self.insert(record, into: &state, generationSize: generationSize) { dropped.append(generation) }
            }
        }
    }

    /// Adds `record`; when that starts a new generation, returns the one dropped, for the
    /// caller to free after unlocking: freeing thousands of orders under the lock would stall
    /// every GetOrder on every loop meanwhile.
    private static func insert(_ record: OrderRecord, into state: inout State, generationSize: Int) -> Generation? {
        if generationSize == 0 { return nil }
        var dropped: Generation?
        if state.recent.count >= generationSize, state.recent[record.id] == nil {
            dropped = state.older
            state.older = state.recent
            state.recent = Generation(minimumCapacity: generationSize)
        }
        state.recent[record.id] = record
        return dropped
    }

}
