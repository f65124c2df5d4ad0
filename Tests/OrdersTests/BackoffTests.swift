import Testing
@testable import Orders

@Suite("Retry backoff")
struct BackoffTests {
    @Test func ceilingDoublesFrom100msUpTo5s() {
        let backoff = Backoff()
        #expect((1...8).map { backoff.ceilingMillis(attempt: $0) } == [100, 200, 400, 800, 1600, 3200, 5000, 5000])
        #expect(backoff.ceilingMillis(attempt: 10_000) == 5000)
    }

    @Test func fullJitterStaysWithinTheCeilingAndSpreads() {
        var generator = SplitMix(seed: 7)
        let backoff = Backoff()
        let delays = (0..<1000).map { _ in backoff.delayMillis(attempt: 4, using: &generator) }
        #expect(delays.allSatisfy { (0...800).contains($0) })
        #expect(delays.min()! < 100)
        #expect(delays.max()! > 700)
    }
}

/// A seeded generator for reproducible tests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
