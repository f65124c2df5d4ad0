@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing

@Suite("per-client rate limit: token buckets, 429 with Retry-After")
struct RateLimitTests {
    @Test("a burst is admitted, the next request waits for a token, and time refills the bucket")
    func bucket() {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: .init(requestsPerSecond: 2, burst: 3), nanosNow: clock.now)
        for _ in 0..<3 { #expect(limiter.admit("a") == .admitted) }
        #expect(limiter.admit("a") == .limited(retryAfterSeconds: 1))
        clock.advance(seconds: 0.5)  // one token back at 2/s
        #expect(limiter.admit("a") == .admitted)
        #expect(limiter.admit("a") == .limited(retryAfterSeconds: 1))
        clock.advance(seconds: 60)  // never more than the burst
        for _ in 0..<3 { #expect(limiter.admit("a") == .admitted) }
        #expect(limiter.admit("a") != .admitted)
    }

    @Test("Retry-After is whole seconds, rounded up, for slow rates")
    func slowRate() {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: .init(requestsPerSecond: 0.2, burst: 1), nanosNow: clock.now)
        #expect(limiter.admit("a") == .admitted)
        #expect(limiter.admit("a") == .limited(retryAfterSeconds: 5))
        clock.advance(seconds: 4.5)
        #expect(limiter.admit("a") == .limited(retryAfterSeconds: 1))
    }

    @Test("clients have their own buckets")
    func perClient() {
        let limiter = RateLimiter(limit: .init(requestsPerSecond: 1, burst: 1), nanosNow: ManualClock().now)
        #expect(limiter.admit("a") == .admitted)
        #expect(limiter.admit("a") != .admitted)
        #expect(limiter.admit("b") == .admitted)
    }

    @Test("the table stays bounded: quiet clients are forgotten, a flood shares one overflow bucket")
    func bounded() {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: .init(requestsPerSecond: 1, burst: 1), maxClients: 4, nanosNow: clock.now)
        for client in 0..<4 { #expect(limiter.admit("c\(client)") == .admitted) }
        // All four buckets are empty: a fifth client gets the overflow bucket, a sixth shares it.
        #expect(limiter.admit("c4") == .admitted)
        #expect(limiter.admit("c5") != .admitted)
        #expect(limiter.trackedClients == 5)
        clock.advance(seconds: 2)  // everyone refilled: the next new client evicts them
        #expect(limiter.admit("c6") == .admitted)
        #expect(limiter.trackedClients == 1)
    }

    @Test("over the limit: 429, Retry-After, RESOURCE_EXHAUSTED body; probes and other paths' clients unaffected")
    func middleware() async throws {
        var config = OrdersGateway.Config.testing
        // One token per 100 s: however slowly a loaded machine sends the three requests, the
        // bucket cannot refill between them.
        config.rateLimit = .init(requestsPerSecond: 0.01, burst: 2)
        try await GatewayFixture(config: config).withLiveServer { client in
            for _ in 0..<2 { #expect(try await client.send(.get, "/v1/orders").status == .ok) }
            let limited = try await client.send(.get, "/v1/orders")
            #expect(limited.status == .tooManyRequests)
            // The wait for that token, in whole seconds: up to 100, less if the requests took a while.
            let retryAfter = Int(limited.headers[.retryAfter] ?? "")
            #expect(retryAfter.map { (1...100).contains($0) } == true, "\(limited.headers)")
            let body = try limited.errorBody()
            #expect(body.code == 8)
            #expect(body.message.contains("rate limit exceeded"))
            // Probes are never limited.
            #expect(try await client.send(.get, "/healthz").status == .ok)
        }
    }

    @Test("no limit is configured by default")
    func offByDefault() {
        #expect(OrdersGateway.Config.defaults.rateLimit == nil)
    }
}

/// A monotonic clock in nanoseconds that the test moves.
final class ManualClock: Sendable {
    private let nanos = Mutex<UInt64>(1_000_000_000)

    var now: @Sendable () -> UInt64 { { self.nanos.withLock { $0 } } }

    func advance(seconds: Double) {
        nanos.withLock { $0 += UInt64(seconds * 1e9) }
    }
}
