import Synchronization

/// Per-client token buckets: each client may send `burst` requests at once and
/// `requestsPerSecond` on average after that. A request over the limit is told how long to
/// wait (`Retry-After`).
///
/// Memory stays bounded: at `maxClients` keys, buckets that have refilled completely (clients
/// that went quiet) are forgotten; if every bucket is still in use, new clients share one
/// overflow bucket rather than growing the table.
final class RateLimiter: Sendable {
    typealias Limit = OrdersGateway.RateLimit

    /// What the limiter says about one request.
    enum Decision: Equatable {
        case admitted
        /// Over the limit: try again in this many whole seconds (at least 1).
        case limited(retryAfterSeconds: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updatedNanos: UInt64
    }

    private static let overflowKey = "\u{0}overflow"

    let limit: Limit
    private let maxClients: Int
    private let nanosNow: @Sendable () -> UInt64
    private let buckets = Mutex<[String: Bucket]>([:])

    /// - Parameter nanosNow: a monotonic clock in nanoseconds (tests move it by hand).
    init(limit: Limit, maxClients: Int = 65_536, nanosNow: @escaping @Sendable () -> UInt64) {
        precondition(limit.requestsPerSecond > 0 && limit.burst >= 1, "a rate limit needs a positive rate and burst")
        self.limit = limit
        self.maxClients = maxClients
        self.nanosNow = nanosNow
    }

    /// Takes one token from `client`'s bucket, if it has one.
    func admit(_ client: String) -> Decision {
        let now = nanosNow()
        return buckets.withLock { buckets in
            var key = client
            if buckets[key] == nil && buckets.count >= maxClients {
                forgetRefilled(&buckets, now: now)
                if buckets.count >= maxClients { key = Self.overflowKey }
            }
            var bucket = buckets[key].map { refilled($0, now: now) } ?? Bucket(tokens: Double(limit.burst), updatedNanos: now)
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else {
                let wait = (1 - bucket.tokens) / limit.requestsPerSecond
                return .limited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
            }
            bucket.tokens -= 1
            return .admitted
        }
    }

    /// How many clients have a bucket now (for tests).
    var trackedClients: Int { buckets.withLock { $0.count } }

    private func refilled(_ bucket: Bucket, now: UInt64) -> Bucket {
        let elapsed = Double(now &- bucket.updatedNanos) / 1e9
        let tokens = min(Double(limit.burst), bucket.tokens + elapsed * limit.requestsPerSecond)
        return Bucket(tokens: tokens, updatedNanos: now)
    }

    private func forgetRefilled(_ buckets: inout [String: Bucket], now: UInt64) {
        let full = Double(limit.burst)
        buckets = buckets.filter { refilled($0.value, now: now).tokens < full }
    }
}
