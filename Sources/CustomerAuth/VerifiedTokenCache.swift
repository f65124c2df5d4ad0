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
    private struct State {
        var entries: [String: CustomerIdentity] = [:]
        /// The `authorization` value of the last call that verified, as the caller sent it: a
        /// client sends the same one on every call, and comparing it costs less than parsing
        /// the token out of it and hashing that.
        var lastAuthorization: String?
        var lastIdentity: CustomerIdentity?
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The identity `token` verified as, if it is cached and not expired at `now`.
    func identity(for token: String, now: Date) -> CustomerIdentity? {
        guard capacity > 0 else { return nil }
        return state.withLock { state in
            guard let identity = state.entries[token] else { return nil }
            guard identity.expiresAt > now else {
                state.entries[token] = nil
                return nil
            }
            return identity
        }
    }

    /// The identity of an `authorization` value equal to the last one `remember` kept, if it
    /// has not expired at `now`.
    func identity(forAuthorization authorization: String, now: Date) -> CustomerIdentity? {
        guard capacity > 0 else { return nil }
        return state.withLock { state in
            guard let identity = state.lastIdentity, state.lastAuthorization == authorization, identity.expiresAt > now else {
                return nil
            }
            return identity
        }
    }

    /// Keeps the `authorization` value a verified (or cached) token came in.
    func remember(_ identity: CustomerIdentity, forAuthorization authorization: String) {
        guard capacity > 0 else { return }
        state.withLock { state in
            state.lastAuthorization = authorization
            state.lastIdentity = identity
        }
    }

    func store(_ identity: CustomerIdentity, for token: String, now: Date) {
        guard capacity > 0 else { return }
        state.withLock { state in
            if state.entries.count >= capacity {
                state.entries = state.entries.filter { $0.value.expiresAt > now }
                if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            }
            state.entries[token] = identity
        }
    }

    var count: Int { state.withLock { $0.entries.count } }
}
