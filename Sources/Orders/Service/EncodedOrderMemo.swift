import Synchronization

/// GetOrder's encoded answers for orders answered from memory, so an order read again and
/// again is not converted to its message and packed by protobuf-c on every call (about a tenth
/// of such a GetOrder's CPU). An entry serves while the order's version is the one it was
/// encoded at: every change to what GetOrder shows bumps the version in the same write.
/// Bounded: once it holds `capacity` orders it starts over.
final class EncodedOrderMemo: Sendable {
    private struct Entry {
        let version: Int64
        let bytes: [UInt8]
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    init(capacity: Int = 8192) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// `order`'s answer as `encode` makes it, reused while the order's version is unchanged.
    func bytes(of order: OrderRecord, encode: () -> [UInt8]) -> [UInt8] {
        if let entry = entries.withLock({ $0[order.id] }), entry.version == order.version {
            return entry.bytes
        }
        let bytes = encode()
        entries.withLock { entries in
            if entries.count >= capacity, entries[order.id] == nil { entries.removeAll(keepingCapacity: true) }
            entries[order.id] = Entry(version: order.version, bytes: bytes)
        }
        return bytes
    }

    /// How many orders it holds (for tests).
    var count: Int { entries.withLock { $0.count } }
}
