import Synchronization

/// Counts the open event streams (Server-Sent Events), in total and per client, and refuses
/// one past either cap: each holds a connection, a call to Orders and a watch there, so a
/// few hundred of them from one client must not crowd out everyone else.
///
/// A granted `Slot` frees itself when released or, failing that, when the last reference to
/// it goes (the response body that held it was dropped), so no path leaks a slot.
final class EventStreamSlots: Sendable {
    /// What is counted: streams open in all, and per client key.
    private struct Counts {
        var total = 0
        var perClient: [String: Int] = [:]
    }

    /// One open stream's place; freeing it twice is harmless.
    final class Slot: Sendable {
        private let owner: EventStreamSlots
        private let client: String
        private let released = Atomic(false)

        fileprivate init(owner: EventStreamSlots, client: String) {
            self.owner = owner
            self.client = client
        }

        /// Frees the slot now.
        func release() {
            guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
            owner.free(client)
        }

        deinit { release() }
    }

    let total: Int
    let perClient: Int
    private let counts = Mutex(Counts())

    init(total: Int, perClient: Int) {
        self.total = total
        self.perClient = perClient
    }

    /// A slot for `client`, or a 429 naming the cap that was reached.
    func acquire(for client: String) throws(GatewayError) -> Slot {
        let refusal: String? = counts.withLock { counts in
            if counts.total >= total { return "the gateway has \(total) event streams open, its limit" }
            let mine = counts.perClient[client, default: 0]
            if mine >= perClient { return "this client has \(perClient) event streams open, the limit per client" }
            counts.total += 1
            counts.perClient[client] = mine + 1
            return nil
        }
        if let refusal {
            throw GatewayError(
                status: .tooManyRequests, code: .resourceExhausted, message: "\(refusal); close one and try again",
                headers: [.retryAfter: "1"])
        }
        return Slot(owner: self, client: client)
    }

    /// Streams open now (total, and for `client`).
    func open(for client: String? = nil) -> Int {
        counts.withLock { counts in client.map { counts.perClient[$0, default: 0] } ?? counts.total }
    }

    private func free(_ client: String) {
        counts.withLock { counts in
            counts.total -= 1
            let left = counts.perClient[client, default: 1] - 1
            counts.perClient[client] = left > 0 ? left : nil
        }
    }
}
