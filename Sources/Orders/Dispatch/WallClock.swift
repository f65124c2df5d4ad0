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
