import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Tokens that verified, with who they name, until they expire: a client sends the same token
/// on every call, so the signature check runs once per token, not once per GetOrder.
///
/// Bounded: when full, expired entries go first; if none had expired, everything goes (the
/// next calls verify again). Either way memory stays at `capacity` entries.
final class VerifiedTokenCache: Sendable {
    private let capacity: Int
    private let entries = Mutex<[String: CustomerIdentity]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The identity `token` verified as, if it is cached and not expired at `now`.
    func identity(for token: String, now: Date) -> CustomerIdentity? {
        guard capacity > 0 else { return nil }
        return entries.withLock { entries in
            guard let identity = entries[token] else { return nil }
            guard identity.expiresAt > now else {
                entries[token] = nil
                return nil
            }
            return identity
        }
    }

    func store(_ identity: CustomerIdentity, for token: String, now: Date) {
        guard capacity > 0 else { return }
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expiresAt > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = identity
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
