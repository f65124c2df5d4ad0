import Synchronization

/// Admission control for a server under more load than it can serve: at most
/// `maxConcurrent` operations run at once, up to `maxQueued` more wait (each at most
/// `maxQueueWait`, first come first served), and anything beyond is refused at once.
///
/// Without it an overloaded server accepts every call, each waits behind all the others, and
/// every caller sees its deadline pass while memory grows with the backlog. With it the calls
/// admitted finish in bounded time and the rest learn within microseconds that they should
/// retry later (RESOURCE_EXHAUSTED over gRPC, 503 with `Retry-After` over REST).
public final class AdmissionLimiter: Sendable {
    /// The limits.
    public struct Config: Sendable, Hashable {
        /// Operations running at once.
        public var maxConcurrent: Int
        /// Operations waiting for a slot; more are refused at once.
        public var maxQueued: Int
        /// Longest wait for a slot; a waiter still queued then is refused.
        public var maxQueueWait: Duration

        /// Limits clamped to sense: at least one running operation, no negative queue.
        public init(maxConcurrent: Int = 256, maxQueued: Int = 512, maxQueueWait: Duration = .seconds(2)) {
            self.maxConcurrent = max(1, maxConcurrent)
            self.maxQueued = max(0, maxQueued)
            self.maxQueueWait = maxQueueWait
        }
    }

    /// Why an operation was not admitted.
    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        /// Every slot was busy and the queue full.
        case queueFull(running: Int, queued: Int)
        /// Queued for `maxQueueWait` without a slot coming free.
        case waitedTooLong(Duration)

        /// The refusal as the RESOURCE_EXHAUSTED message (or 503 body) tells it: what was full, and to retry later.
        public var description: String {
            switch self {
            case .queueFull(let running, let queued):
                "server overloaded: \(running) calls running and \(queued) waiting; retry later"
            case .waitedTooLong(let wait):
                "server overloaded: no capacity within \(wait); retry later"
            }
        }
    }

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var running = 0
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
    }

    private enum Entry {
        case admitted
        case refused(Refusal)
        case queued(UInt64)
    }

    /// The limits this limiter applies.
    public let config: Config
    private let state = Mutex(State())

    /// A limiter with nothing running. One limiter is shared by every connection of a server (or every
    /// route of the gateway); it is thread-safe.
    public init(_ config: Config) {
        self.config = config
    }

    /// Operations running and waiting now (for tests and metrics).
    public var load: (running: Int, queued: Int) {
        state.withLock { ($0.running, $0.waiters.count) }
    }

    /// Runs `body` once admitted; throws `Refusal` without running it otherwise.
    public func run<T>(_ body: () async throws -> T) async throws -> T {
        try await admit()
        defer { release() }
        return try await body()
    }

    /// Takes a slot if one is free now (the caller must `release()` it); false when the caller
    /// would have to wait for one, or be refused: then call `admit()`.
    public func tryAdmit() -> Bool {
        state.withLock { state in
            guard state.running < config.maxConcurrent else { return false }
            state.running += 1
            return true
        }
    }

    /// Returns once a slot is held (the caller must `release()` it), or throws `Refusal`.
    public func admit() async throws {
        // A free slot (the usual case) is taken without a continuation: a checked continuation
        // allocates (its canary) and takes the lock's path again, on every call of every method.
        if tryAdmit() { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let entry = state.withLock { state -> Entry in
                if state.running < config.maxConcurrent {
                    state.running += 1
                    return .admitted
                }
                guard state.waiters.count < config.maxQueued else {
                    return .refused(.queueFull(running: state.running, queued: state.waiters.count))
                }
                state.nextID += 1
                state.waiters.append(Waiter(id: state.nextID, continuation: continuation))
                return .queued(state.nextID)
            }
            switch entry {
            case .admitted: continuation.resume()
            case .refused(let refusal): continuation.resume(throwing: refusal)
            case .queued(let id):
                // Ends the wait on time if no slot came free; a no-op once the waiter left.
                let wait = config.maxQueueWait
                Task { [weak self] in
                    try? await Task.sleep(for: wait)
                    self?.expire(id)
                }
            }
        }
    }

    /// Gives a slot back: to the longest waiter, if any.
    public func release() {
        let next = state.withLock { state -> Waiter? in
            guard !state.waiters.isEmpty else {
                state.running -= 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.continuation.resume()
    }

    private func expire(_ id: UInt64) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: Refusal.waitedTooLong(config.maxQueueWait))
    }
}
