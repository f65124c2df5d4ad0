#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The time orders are stamped with: Unix milliseconds. Injectable so tests can move it.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Int64

    public init(_ read: @escaping @Sendable () -> Int64) {
        self.read = read
    }

    /// Now, in Unix milliseconds.
    public func now() -> Int64 { read() }

    /// The system's real-time clock.
    public static var system: WallClock {
        WallClock { Int64((Date.now.timeIntervalSince1970 * 1000).rounded(.down)) }
    }
}

/// Exponential backoff with full jitter: before retry n (n ≥ 1) wait a uniformly random time in
/// [0, min(cap, base × 2^(n−1))].
public struct Backoff: Sendable, Hashable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .milliseconds(100), cap: Duration = .seconds(5)) {
        self.base = base
        self.cap = cap
    }

    /// The ceiling of the wait before retry `attempt` (1-based), in milliseconds.
    public func ceilingMillis(attempt: Int) -> Int64 {
        let baseMillis = base.millis
        let capMillis = cap.millis
        let shift = min(max(attempt - 1, 0), 40)
        let (grown, overflow) = baseMillis.multipliedReportingOverflow(by: Int64(1) << shift)
        return overflow ? capMillis : min(grown, capMillis)
    }

    /// A random wait before retry `attempt`, in milliseconds.
    public func delayMillis(attempt: Int, using generator: inout some RandomNumberGenerator) -> Int64 {
        Int64.random(in: 0...ceilingMillis(attempt: attempt), using: &generator)
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var millis: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
